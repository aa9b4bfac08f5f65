select
    framework_code,
    unit_code
from {{ source('raw', 'framework_units') }}
