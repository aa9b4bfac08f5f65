-- A restated unit's pillar indices (SPEC §4): the unweighted mean of its predecessors'
-- (each to 12 decimals), ranked like the restated totals among the restated units ranked
-- overall, when every predecessor has the pillar.
with means as (
    select
        {{ peer_group_keys('s', ['unit_code']) }},
        p.pillar_code,
        max(p.pillar_name) as pillar_name,
        min(p.pillar_order) as pillar_order,
        count(*) as pillar_count,
        cast(
            sum({{ divide_exact('p.score', 'p.max_applicable', 12, operand_scale=6) }}) as decimal(38, 12)
        ) as index_sum,
        count(p.max_applicable) filter (where p.max_applicable > 0) as index_count
    from {{ ref('int_unit_successors') }} as s
    inner join {{ ref('int_pillar_scores') }} as p on {{ of_predecessor('p', 's') }}
    group by {{ peer_group_keys('s', ['unit_code']) }}, p.pillar_code
),

rankable as (
    select m.*, u.ranked and m.index_count = u.predecessor_count as ranked
    from means as m
    inner join {{ ref('int_restated_unit_scores') }} as u on {{ same_peer_group('u', 'm', ['unit_code']) }}
),

ranks as (
    {{ with_competition_rank('rankable', peer_group_columns(['pillar_code']),
                             'index_sum', 'index_count', 'decimal(38, 12)') }}
)

select
    {{ peer_group_keys(extra=['unit_code', 'pillar_code']) }},
    pillar_name,
    pillar_order,
    case when index_count = pillar_count then {{ divide_exact('index_sum', 'index_count', 4) }} end as index,
    ranked,
    rank
from ranks
