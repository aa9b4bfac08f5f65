-- Year over year (SPEC §4): the rank the same unit code had the previous year under the
-- same evaluator, unit_type and peer group, even if the framework changed, or its restated
-- rank where the lineage changed the group (macro year_before); positive change = moved
-- up. A view over every year, so it is right whatever order years are materialised in.
with ranks as (
    select * from {{ ref('int_unit_ranks') }}
),

previous as (
    {{ year_before(ref('int_unit_ranks'), ref('int_restated_unit_scores'),
                   ['year', 'evaluator', 'unit_type', 'peer_group', 'unit_code', 'rank']) }}
)

select
    r.*,
    prev.rank as rank_prev,
    prev.rank - r.rank as rank_change,
    prev.restated as rank_prev_restated
from ranks as r
left join previous as prev
    on prev.year = r.year - 1
    and prev.evaluator = r.evaluator
    and prev.unit_type = r.unit_type
    and prev.peer_group = r.peer_group
    and prev.unit_code = r.unit_code
