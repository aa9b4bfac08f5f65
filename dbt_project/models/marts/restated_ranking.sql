-- The years before a reorganisation restated on the next year's units (SPEC §4, §5):
-- `year` is the year restated, its rows the units of year + 1 with their predecessors,
-- beside the ranking as evaluated. For every year after which units/lineage.csv changes
-- something, in the groups it changes.
with restated as (
    select * from {{ ref('int_restated_unit_scores') }}
),

units as (
    select * from {{ ref('stg_units') }}
)

select
    r.year,
    r.year + 1 as units_year,
    r.evaluator,
    e.unit_name as evaluator_name,
    r.unit_type,
    {{ unit_type_label('r.unit_type') }} as unit_type_label,
    r.peer_group,
    r.unit_code,
    r.unit_name,
    r.framework_code,
    r.predecessor_codes,
    r.predecessor_count,
    r.score_pct,
    r.index,
    r.rating,
    {{ rating_label('r.rating', 'r.ranked') }} as rating_label,
    r.ranked,
    r.not_ranked_code,
    r.not_ranked_reason,
    r.rank,
    {{ period_start('r.year') }} as period_start
from restated as r
left join units as e
    on e.unit_code = r.evaluator
    and r.year + 1 >= coalesce(e.valid_from, r.year + 1)
    and r.year + 1 <= coalesce(e.valid_to, r.year + 1)
order by r.year, r.evaluator, r.unit_type, r.peer_group, r.rank nulls last, r.unit_code
