-- Each value is cleaned and parsed once (a CTE column), then its status read off the result.
with source as (
    select * from {{ source('raw', 'submissions') }}
),

cleaned as (
    select *, trim(value_text) as trimmed, {{ value_cleaned('value_text') }} as cleaned
    from source
),

parsed as (
    select *, {{ parse_cleaned('cleaned') }} as value
    from cleaned
)

select
    year,
    source_file,
    row_number,
    nullif(trim(unit_code), '') as unit_code,
    nullif(trim(indicator_code), '') as indicator_code,
    value_text,
    {{ value_status('trimmed', 'value') }} as value_status,
    value,
    note
from parsed
