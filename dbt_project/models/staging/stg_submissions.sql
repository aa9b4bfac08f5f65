with source as (
    select * from {{ source('raw', 'submissions') }}
),

typed as (
    select
        year,
        source_file,
        row_number,
        nullif(trim(unit_code), '') as unit_code,
        nullif(trim(indicator_code), '') as indicator_code,
        value_text,
        {{ value_status('value_text') }} as value_status,
        {{ parse_number('value_text') }} as value,
        note
    from source
)

select * from typed
