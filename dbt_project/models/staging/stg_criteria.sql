select
    framework_code,
    criterion_order,
    criterion_code,
    criterion_name,
    max_points,
    required_for_rank,
    parent_criterion_code,
    level,
    height
from {{ source('raw', 'criteria') }}
