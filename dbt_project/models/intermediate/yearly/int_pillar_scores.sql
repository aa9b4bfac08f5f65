-- Pillars (SPEC §3.2, §4): a pillar's score is the sum of its top-level criteria's scores,
-- its max_applicable the sum of theirs, its index the one divided by the other; pillars
-- share criteria. Ranked like totals, within evaluator, unit_type, peer group and year,
-- among the units ranked overall (a unit out of the ranking is out of its pillars' too),
-- on exact values compared by cross-multiplication (macro with_competition_rank).
with scores as (
    select
        {{ evaluated_unit_keys('c') }},
        p.pillar_code,
        max(p.pillar_name) as pillar_name,
        min(p.pillar_order) as pillar_order,
        cast(sum(c.score) as decimal(18, 6)) as score,
        cast(sum(c.max_score) as decimal(18, 6)) as max_score,
        cast(sum(c.max_applicable) as decimal(18, 6)) as max_applicable
    from {{ run_years_rows(ref('int_criterion_scores'), 'level = 1') }} as c
    inner join {{ ref('stg_pillars') }} as p
        on p.framework_code = c.framework_code and p.criterion_code = c.criterion_code
    group by {{ evaluated_unit_keys('c') }}, p.pillar_code
),

rankable as (
    select
        s.*,
        {{ divide_exact('s.score', 's.max_applicable', 4, operand_scale=6) }} as index,
        u.ranked and s.max_applicable > 0 as ranked
    from scores as s
    inner join {{ run_years_rows(ref('int_unit_scores')) }} as u
        on u.framework_code = s.framework_code and u.year = s.year and u.unit_code = s.unit_code
)

{{ with_competition_rank('rankable', peer_group_columns(['pillar_code']),
                         'score', 'max_applicable', 'decimal(38, 6)') }}
