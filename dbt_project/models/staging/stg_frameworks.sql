with source as (
    select * from {{ source('raw', 'frameworks') }}
),

renamed as (
    select
        framework_code,
        title as framework_title,
        trim(evaluator) as evaluator,
        unit_type,
        peer_group,
        source_file
    from source
)

select * from renamed
