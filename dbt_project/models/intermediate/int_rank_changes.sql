-- Year over year (SPEC §4): the rank the same unit code had the previous year under the
-- same evaluator, unit_type and peer group, even if the framework changed; positive change = moved
-- up. A view over every year, so it is right whatever order years are materialised in.
with ranks as (
    select * from {{ ref('int_unit_ranks') }}
)

select
    r.*,
    prev.rank as rank_prev,
    prev.rank - r.rank as rank_change
from ranks as r
left join ranks as prev
    on prev.year = r.year - 1
    and prev.evaluator = r.evaluator
    and prev.unit_type = r.unit_type
    and prev.peer_group = r.peer_group
    and prev.unit_code = r.unit_code
