-- The self-assessment against the appraisal (SPEC §3.3, §5): per unit and indicator where
-- a self-assessed value exists, both values and both points and their difference
-- (appraised − self: negative where the unit over-scored itself), and per unit a total
-- row (indicator_code null) over the indicators that have both.
with points as (
    select * from {{ ref('int_indicator_points') }}
    where has_self_value
),

by_indicator as (
    select
        {{ peer_group_keys('p', ['unit_code', 'framework_code']) }},
        p.criterion_code,
        p.indicator_code,
        i.indicator_name,
        p.self_value,
        p.appraised_value,
        p.self_points,
        p.appraised_points,
        p.appraised_points - p.self_points as points_difference,
        cast(p.appraised_points is not null as integer) as indicators_compared
    from points as p
    inner join {{ ref('stg_indicators') }} as i
        on i.framework_code = p.framework_code and i.indicator_code = p.indicator_code
),

by_unit as (
    select
        {{ peer_group_keys(extra=['unit_code', 'framework_code']) }},
        cast(null as varchar) as criterion_code,
        cast(null as varchar) as indicator_code,
        cast(null as varchar) as indicator_name,
        cast(null as decimal(38, 6)) as self_value,
        cast(null as decimal(38, 6)) as appraised_value,
        sum(self_points) as self_points,
        sum(appraised_points) as appraised_points,
        sum(points_difference) as points_difference,
        count(*) as indicators_compared
    from by_indicator
    where appraised_points is not null
    group by {{ peer_group_keys(extra=['unit_code', 'framework_code']) }}
)

select
    d.year,
    d.evaluator,
    d.unit_type,
    {{ unit_type_label('d.unit_type') }} as unit_type_label,
    d.peer_group,
    d.unit_code,
    u.unit_name,
    d.framework_code,
    d.criterion_code,
    d.indicator_code,
    d.indicator_name,
    d.self_value,
    d.appraised_value,
    cast(d.self_points as decimal(18, 6)) as self_points,
    cast(d.appraised_points as decimal(18, 6)) as appraised_points,
    cast(d.points_difference as decimal(18, 6)) as points_difference,
    d.indicators_compared,
    {{ period_start('d.year') }} as period_start
from (
    select * from by_indicator
    union all
    select * from by_unit
) as d
inner join {{ ref('int_evaluated_units') }} as u
    on u.framework_code = d.framework_code and u.year = d.year and u.unit_code = d.unit_code
order by {{ peer_group_keys('d', ['unit_code']) }}, d.indicator_code nulls last
