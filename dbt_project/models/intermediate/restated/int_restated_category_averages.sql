-- int_category_averages on the restated units (SPEC §4): the mean of the restated units'
-- indices, per criterion over the units it applies to, and overall (macro
-- category_averages). (As evaluated, a criterion's average pools scores over maxima; the
-- two agree where the maxima do, as in the DTI; a restated unit has indices only.) Same
-- columns as int_category_averages.
with units as (
    select * from {{ ref('int_restated_unit_scores') }}
    where index_fine is not null
),

criteria as (
    select * from {{ ref('int_restated_criterion_scores') }}
    where applicable
)

{{ category_averages('units', 'criteria', 'sum(' ~ divide_exact('index_sum', 'index_count', 12) ~ ')', 'count(*)') }}
