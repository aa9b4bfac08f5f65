-- Points of every indicator for every evaluated unit (SPEC §3.2), capped at the
-- indicator max. Divisions are exact, rounded half up to 4 decimals: `linear` and
-- `relative` are max × value / full_at (or best) by multiply_divide_exact, which never
-- forms the product (a 10^12 max times a 10^20 value in đồng needs more than 128 bits).
-- SPEC §3.3: the appraised value scores; an indicator with only a self-assessed value is
-- scored on it (`stage` = 'self': its unit is provisional). Both stages' values and points
-- are kept beside the scored ones, for appraisal_differences; a `relative` indicator's
-- best is the best scored value, for both.
with accepted as (
    select * from {{ ref('int_submissions_checked') }}
    where (severity is null or severity <> 'error') and {{ in_run_years('year') }}
),

-- the value that scores comes first: a value before an empty one, then the appraisal
staged as (
    select
        year,
        unit_code,
        indicator_code,
        coalesce(stage, 'appraised') as stage,
        value_status,
        value,
        row_number() over (
            partition by year, unit_code, indicator_code
            order by value_status = 'missing', coalesce(stage, 'appraised') = 'self'
        ) = 1 as scored
    from accepted
),

indicator_values as (
    select
        {{ evaluated_unit_keys('e') }},
        i.criterion_code,
        i.indicator_code,
        i.rule_type,
        i.max_points,
        i.full_at,
        coalesce(a.stage, 'appraised') as stage,
        coalesce(a.scored, true) as scored,
        coalesce(a.value_status, 'missing') as value_status,
        a.value
    from {{ run_years_rows(ref('int_evaluated_units')) }} as e
    inner join {{ ref('stg_indicators') }} as i on i.framework_code = e.framework_code
    left join staged as a
        on a.year = e.year and a.unit_code = e.unit_code and a.indicator_code = i.indicator_code
),

-- `relative`: the best value among the units the framework evaluates that year
best as (
    select framework_code, year, indicator_code, max(value) as best_value
    from indicator_values
    where rule_type = 'relative' and value_status = 'number' and scored
    group by framework_code, year, indicator_code
),

-- `steps`: the highest step whose threshold the value reaches
reached_steps as (
    select
        v.framework_code,
        v.year,
        v.unit_code,
        v.indicator_code,
        v.stage,
        s.points,
        row_number() over (
            partition by v.framework_code, v.year, v.unit_code, v.indicator_code, v.stage
            order by s.threshold desc
        ) as step_rank
    from indicator_values as v
    inner join {{ ref('stg_indicator_steps') }} as s
        on s.framework_code = v.framework_code
        and s.indicator_code = v.indicator_code
        and v.value >= s.threshold
    where v.rule_type = 'steps' and v.value_status = 'number'
),

points as (
    select
        v.*,
        case
            when v.value_status <> 'number' then 0
            when v.rule_type = 'score' then v.value
            when v.rule_type = 'linear'
                then
                    case
                        when v.value >= v.full_at then v.max_points
                        else {{ multiply_divide_exact('v.max_points', 'v.value', 'v.full_at', 4) }}
                    end
            when v.rule_type = 'boolean' then case when v.value = 1 then v.max_points else 0 end
            when v.rule_type = 'steps' then coalesce(rs.points, 0)
            when v.rule_type = 'relative' then
                case
                    when b.best_value > 0 then {{ multiply_divide_exact('v.max_points', 'v.value', 'b.best_value', 4) }}
                    else 0
                end
        end as uncapped_points
    from indicator_values as v
    left join best as b
        on b.framework_code = v.framework_code and b.year = v.year and b.indicator_code = v.indicator_code
    left join reached_steps as rs
        on rs.framework_code = v.framework_code and rs.year = v.year
        and rs.unit_code = v.unit_code and rs.indicator_code = v.indicator_code and rs.stage = v.stage
        and rs.step_rank = 1
),

-- capped, so points <= max_points < 10^12 (the framework maxima) fit DECIMAL(18, 6)
capped as materialized (
    select *, cast(least(uncapped_points, max_points) as decimal(18, 6)) as points
    from points
)

-- the scored row, and beside it the other stage's value when there is one (at most one:
-- a value given twice at one stage is held back)
select
    {{ evaluated_unit_keys('c') }},
    c.criterion_code,
    c.indicator_code,
    c.rule_type,
    c.stage,
    c.value_status,
    c.value,
    c.max_points,
    c.points,
    coalesce(c.stage = 'self' or o.stage = 'self', false) as has_self_value,
    case when c.stage = 'self' then c.value when o.stage = 'self' then o.value end as self_value,
    case when c.stage = 'self' then c.points when o.stage = 'self' then o.points end as self_points,
    -- an appraisal left empty is none (yet)
    case
        when c.stage = 'appraised' and c.value_status <> 'missing' then c.value
        when o.stage = 'appraised' and o.value_status <> 'missing' then o.value
    end as appraised_value,
    case
        when c.stage = 'appraised' and c.value_status <> 'missing' then c.points
        when o.stage = 'appraised' and o.value_status <> 'missing' then o.points
    end as appraised_points
from capped as c
left join capped as o
    on not o.scored
    and o.framework_code = c.framework_code and o.year = c.year
    and o.unit_code = c.unit_code and o.indicator_code = c.indicator_code
where c.scored
