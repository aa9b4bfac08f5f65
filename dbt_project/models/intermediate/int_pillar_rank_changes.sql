-- Year over year for pillars, as int_rank_changes for totals: the rank the unit had in the
-- pillar of the same code the previous year, in the same evaluator, unit_type and peer
-- group; positive change = moved up.
with pillars as (
    select * from {{ ref('int_pillar_scores') }}
)

select
    p.*,
    prev.rank as rank_prev,
    prev.rank - p.rank as rank_change
from pillars as p
left join pillars as prev
    on prev.year = p.year - 1
    and prev.evaluator = p.evaluator
    and prev.unit_type = p.unit_type
    and prev.peer_group = p.peer_group
    and prev.pillar_code = p.pillar_code
    and prev.unit_code = p.unit_code
