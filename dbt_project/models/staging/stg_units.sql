with source as (
    select * from {{ source('raw', 'units') }}
),

renamed as (
    select
        trim(unit_code) as unit_code,
        trim(unit_name) as unit_name,
        lower(trim(unit_type)) as unit_type,
        nullif(trim(parent_code), '') as parent_code,
        cast(nullif(trim(valid_from), '') as integer) as valid_from,
        cast(nullif(trim(valid_to), '') as integer) as valid_to,
        source_file,
        row_number
    from source
)

select * from renamed
