-- Criterion scores at every level (SPEC §3.2, §4), summed bottom up by height: a criterion
-- that holds indicators (height 0) scores the sum of their points, capped at its max, and
-- is not applicable when every one of its indicators is N/A; its max_applicable is its max
-- when applicable, else 0. A criterion above (height h) sums its children (all of lower
-- heights), capped at its max; it is applicable when one of its children is, and its
-- max_applicable is the sum of its children's, capped at its max: a child that is not
-- applicable takes its max out of every level above it. A criterion is provisional when a
-- value below it is scored on a self-assessment (SPEC §3.3).
{%- set levels = var('criterion_levels') %}
with criteria as (
    select * from {{ ref('stg_criteria') }}
),

height_0 as (
    select
        {{ evaluated_unit_keys('p') }},
        p.criterion_code,
        bool_or(p.value_status <> 'na') as applicable,
        least(sum(p.points), max(c.max_points)) as score,
        case when bool_or(p.value_status <> 'na') then max(c.max_points) else 0 end as max_applicable,
        coalesce(bool_or(p.stage = 'self'), false) as provisional
    from {{ run_years_rows(ref('int_indicator_points')) }} as p
    inner join criteria as c
        on c.framework_code = p.framework_code and c.criterion_code = p.criterion_code
    group by {{ evaluated_unit_keys('p') }}, p.criterion_code
)
{%- for height in range(1, levels) %},

-- the criteria of height {{ height - 1 }} and below, scored
scored_{{ height - 1 }} as materialized (
    {%- if height == 1 %}
    select * from height_0
    {%- else %}
    select * from scored_{{ height - 2 }}
    union all
    select * from height_{{ height - 1 }}
    {%- endif %}
),

height_{{ height }} as (
    select
        {{ evaluated_unit_keys('child') }},
        c.criterion_code,
        bool_or(child.applicable) as applicable,
        least(sum(child.score), max(c.max_points)) as score,
        least(sum(child.max_applicable), max(c.max_points)) as max_applicable,
        bool_or(child.provisional) as provisional
    from scored_{{ height - 1 }} as child
    inner join criteria as child_criterion
        on child_criterion.framework_code = child.framework_code
        and child_criterion.criterion_code = child.criterion_code
    inner join criteria as c
        on c.framework_code = child.framework_code
        and c.criterion_code = child_criterion.parent_criterion_code
        and c.height = {{ height }}
    group by {{ evaluated_unit_keys('child') }}, c.criterion_code
)
{%- endfor %},

scored as (
    select * from scored_{{ levels - 2 }}
    union all
    select * from height_{{ levels - 1 }}
)

select
    {{ evaluated_unit_keys('s') }},
    s.criterion_code,
    c.criterion_name,
    c.criterion_order,
    c.parent_criterion_code,
    c.level,
    c.required_for_rank,
    s.applicable,
    cast(c.max_points as decimal(18, 6)) as max_score,
    cast(s.max_applicable as decimal(18, 6)) as max_applicable,
    cast(s.score as decimal(18, 6)) as score,
    s.provisional
from scored as s
inner join criteria as c
    on c.framework_code = s.framework_code and c.criterion_code = s.criterion_code
