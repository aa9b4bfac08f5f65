-- A restated unit's pillar indices (SPEC §4): the unweighted mean of its predecessors'
-- (each to 12 decimals), ranked like the restated totals among the restated units ranked
-- overall, when every predecessor has the pillar.
with successors as (
    select * from {{ ref('int_unit_successors') }}
),

pillars as (
    select * from {{ ref('int_pillar_scores') }}
    where year + 1 in (select year from {{ ref('stg_lineage') }})
),

units as (
    select * from {{ ref('int_restated_unit_scores') }}
),

means as (
    select
        s.year,
        s.evaluator,
        s.unit_type,
        s.peer_group,
        s.unit_code,
        p.pillar_code,
        max(p.pillar_name) as pillar_name,
        min(p.pillar_order) as pillar_order,
        count(*) as pillar_count,
        cast(
            sum({{ divide_exact('p.score', 'p.max_applicable', 12, operand_scale=6) }}) as decimal(38, 12)
        ) as index_sum,
        count(p.max_applicable) filter (where p.max_applicable > 0) as index_count
    from successors as s
    inner join pillars as p
        on p.framework_code = s.framework_code and p.year = s.year and p.unit_code = s.predecessor_code
    group by s.year, s.evaluator, s.unit_type, s.peer_group, s.unit_code, p.pillar_code
),

rankable as (
    select m.*, u.ranked and m.index_count = u.predecessor_count as ranked
    from means as m
    inner join units as u
        on u.year = m.year and u.evaluator = m.evaluator and u.unit_type = m.unit_type
        and u.peer_group = m.peer_group and u.unit_code = m.unit_code
),

ranks as (
    {{ with_competition_rank('rankable', ['year', 'evaluator', 'unit_type', 'peer_group', 'pillar_code'],
                             'index_sum', 'index_count', 'decimal(38, 12)') }}
)

select
    year,
    evaluator,
    unit_type,
    peer_group,
    unit_code,
    pillar_code,
    pillar_name,
    pillar_order,
    case when index_count = pillar_count then {{ divide_exact('index_sum', 'index_count', 4) }} end as index,
    ranked,
    rank
from ranks
