-- Every submitted value with the first problem found in it, if any. Rows with an error
-- are held back from scoring (every copy of a duplicate: the warehouse cannot know which
-- is right); a warning (an empty value) still scores, as 0.
-- `materialized`: the values are parsed once (stg_submissions is a view), not per use.
with submissions as materialized (
    select * from {{ ref('stg_submissions') }}
    where {{ in_run_years('year') }}
),

units as (
    select * from {{ ref('stg_units') }}
),

evaluated as (
    select * from {{ ref('int_evaluated_units') }}
    where {{ in_run_years('year') }}
),

indicators as (
    select * from {{ ref('stg_indicators') }}
),

duplicates as (
    select year, unit_code, indicator_code, count(*) as copies
    from submissions
    group by year, unit_code, indicator_code
    having count(*) > 1
),

registry as (
    select distinct unit_code from units
),

valid_units as (
    select s.year, s.unit_code
    from (select distinct year, unit_code from submissions) as s
    inner join units as u
        on u.unit_code = s.unit_code
        and s.year >= coalesce(u.valid_from, s.year)
        and s.year <= coalesce(u.valid_to, s.year)
),

checked as (
    select
        s.*,
        e.framework_code,
        i.rule_type,
        i.max_points,
        case
            when s.unit_code is null then 'no unit_code'
            when r.unit_code is null then 'unknown unit ' || s.unit_code || ': not in units/units.csv'
            when v.unit_code is null then 'unit ' || s.unit_code || ' is not valid in ' || cast(s.year as varchar)
            when e.unit_code is null then 'no framework evaluates unit ' || s.unit_code || ' in ' || cast(s.year as varchar)
            when s.indicator_code is null then 'no indicator_code'
            when i.indicator_code is null
                then 'unknown indicator ' || s.indicator_code || ' for framework ' || e.framework_code
            when d.copies is not null
                then 'given ' || cast(d.copies as varchar) || ' times for this unit and year: every copy is held back'
            when s.value_status = 'invalid' then 'not a number: ' || s.value_text
            when s.value < 0 then 'negative value ' || s.value_text
            when i.rule_type = 'score' and s.value > i.max_points
                then 'value ' || s.value_text || ' is above the indicator maximum ' || {{ decimal_text('i.max_points') }}
            when s.value_status = 'missing' then 'missing value: scores 0'
        end as reason
    from submissions as s
    left join registry as r on r.unit_code = s.unit_code
    left join valid_units as v on v.year = s.year and v.unit_code = s.unit_code
    left join evaluated as e on e.year = s.year and e.unit_code = s.unit_code
    left join indicators as i
        on i.framework_code = e.framework_code and i.indicator_code = s.indicator_code
    left join duplicates as d
        on d.year = s.year and d.unit_code = s.unit_code and d.indicator_code = s.indicator_code
)

select
    *,
    case
        when reason is null then null
        when value_status = 'missing' and reason = 'missing value: scores 0' then 'warning'
        else 'error'
    end as severity
from checked
