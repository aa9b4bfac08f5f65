-- The rows of the national and provincial rankings (marts national_ranking and
-- provincial_ranking select their columns): int_rank_changes with the unit's and the
-- evaluator's names valid that year, the label of the rating, and the values held back.
with evaluators as (
    select * from {{ ref('stg_units') }}
    where unit_type = 'province'
)

select
    r.*,
    u.unit_name,
    e.unit_name as evaluator_name,
    {{ rating_label('r.rating', 'r.ranked') }} as rating_label,
    coalesce(h.held_back_values, 0) as held_back_values
from {{ ref('int_rank_changes') }} as r
inner join {{ ref('int_evaluated_units') }} as u
    on u.framework_code = r.framework_code and u.year = r.year and u.unit_code = r.unit_code
left join evaluators as e
    on e.unit_code = r.evaluator
    and r.year >= coalesce(e.valid_from, r.year)
    and r.year <= coalesce(e.valid_to, r.year)
left join {{ ref('int_held_back_values') }} as h on h.year = r.year and h.unit_code = r.unit_code
