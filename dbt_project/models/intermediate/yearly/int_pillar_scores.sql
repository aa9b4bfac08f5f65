-- Pillars (SPEC §3.2, §4): a pillar's score is the sum of its top-level criteria's scores,
-- its max_applicable the sum of theirs, its index the one divided by the other; pillars
-- share criteria. Ranked like totals, within evaluator, unit_type, peer group and year,
-- among the units ranked overall (a unit out of the ranking is out of its pillars' too),
-- on exact values compared by cross-multiplication (macro with_competition_rank).
with criteria as (
    select * from {{ ref('int_criterion_scores') }}
    where level = 1 and {{ in_run_years('year') }}
),

units as (
    select * from {{ ref('int_unit_scores') }}
    where {{ in_run_years('year') }}
),

pillars as (
    select * from {{ ref('stg_pillars') }}
),

scores as (
    select
        c.framework_code,
        c.year,
        c.evaluator,
        c.unit_type,
        c.peer_group,
        c.unit_code,
        p.pillar_code,
        max(p.pillar_name) as pillar_name,
        min(p.pillar_order) as pillar_order,
        cast(sum(c.score) as decimal(18, 6)) as score,
        cast(sum(c.max_score) as decimal(18, 6)) as max_score,
        cast(sum(c.max_applicable) as decimal(18, 6)) as max_applicable
    from criteria as c
    inner join pillars as p
        on p.framework_code = c.framework_code and p.criterion_code = c.criterion_code
    group by c.framework_code, c.year, c.evaluator, c.unit_type, c.peer_group, c.unit_code, p.pillar_code
),

rankable as (
    select
        s.*,
        {{ divide_exact('s.score', 's.max_applicable', 4, operand_scale=6) }} as index,
        u.ranked and s.max_applicable > 0 as ranked
    from scores as s
    inner join units as u
        on u.framework_code = s.framework_code and u.year = s.year and u.unit_code = s.unit_code
)

{{ with_competition_rank('rankable', ['year', 'evaluator', 'unit_type', 'peer_group', 'pillar_code'],
                         'score', 'max_applicable', 'decimal(38, 6)') }}
