select
    framework_code,
    criterion_code,
    indicator_order,
    indicator_code,
    indicator_name,
    max_points,
    rule_type,
    full_at,
    unit
from {{ source('raw', 'indicators') }}
