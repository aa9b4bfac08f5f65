-- Year over year for pillars, as int_rank_changes for totals: the rank the unit had in the
-- pillar of the same code the previous year, in the same evaluator, unit_type and peer
-- group, or its restated rank where the lineage changed the group; positive = moved up.
with pillars as (
    select * from {{ ref('int_pillar_scores') }}
),

previous as (
    {{ year_before(ref('int_pillar_scores'), ref('int_restated_pillar_scores'),
                   ['year', 'evaluator', 'unit_type', 'peer_group', 'unit_code', 'pillar_code', 'rank']) }}
)

select
    p.*,
    prev.rank as rank_prev,
    prev.rank - p.rank as rank_change,
    prev.restated as rank_prev_restated
from pillars as p
left join previous as prev
    on prev.year = p.year - 1
    and prev.evaluator = p.evaluator
    and prev.unit_type = p.unit_type
    and prev.peer_group = p.peer_group
    and prev.pillar_code = p.pillar_code
    and prev.unit_code = p.unit_code
