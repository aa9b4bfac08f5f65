-- A criterion's score is the sum of its indicator points, capped at its max. It is not
-- applicable when every one of its indicators is N/A (SPEC §4).
with points as (
    select * from {{ ref('int_indicator_points') }}
    where {{ in_run_years('year') }}
),

criteria as (
    select * from {{ ref('stg_criteria') }}
),

summed as (
    select
        framework_code,
        year,
        evaluator,
        unit_type,
        unit_code,
        criterion_code,
        sum(points) as points,
        count(case when value_status <> 'na' then 1 end) > 0 as applicable
    from points
    group by framework_code, year, evaluator, unit_type, unit_code, criterion_code
)

select
    s.framework_code,
    s.year,
    s.evaluator,
    s.unit_type,
    s.unit_code,
    s.criterion_code,
    c.criterion_name,
    c.criterion_order,
    c.required_for_rank,
    s.applicable,
    cast(c.max_points as decimal(18, 6)) as max_score,
    cast(least(s.points, c.max_points) as decimal(18, 6)) as score
from summed as s
inner join criteria as c
    on c.framework_code = s.framework_code and c.criterion_code = s.criterion_code
