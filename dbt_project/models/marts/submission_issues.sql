-- One row per problem found in the submissions: files refused whole at ingestion, values
-- held back (errors) and values that score 0 because they are missing (warnings).
with file_issues as (
    select * from {{ source('raw', 'file_issues') }}
),

value_issues as (
    select * from {{ ref('int_submissions_checked') }}
    where reason is not null
),

never_submitted as (
    select * from {{ ref('int_indicator_points') }}
    where value_status = 'missing'
),

issues as (
    select year, source_file, row_number, unit_code, indicator_code, severity, reason
    from file_issues
    union all
    select year, source_file, row_number, unit_code, indicator_code, severity, reason
    from value_issues
    union all
    select
        n.year,
        cast(null as varchar) as source_file,
        cast(null as integer) as row_number,
        n.unit_code,
        n.indicator_code,
        'warning' as severity,
        'no value submitted: scores 0' as reason
    from never_submitted as n
    where not exists (
        select 1 from value_issues as v
        where v.year = n.year and v.unit_code = n.unit_code and v.indicator_code = n.indicator_code
    )
)

select
    *,
    {{ period_start('year') }} as period_start
from issues
order by year, source_file nulls last, row_number, unit_code, indicator_code
