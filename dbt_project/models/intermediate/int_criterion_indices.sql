-- Every criterion's score at every level with its index = score / max_applicable (SPEC §4),
-- 4 decimals: the rows of the marts national_category_scores and provincial_criterion_scores.
select
    *,
    {{ divide_exact('score', 'max_applicable', 4, operand_scale=6) }} as index
from {{ ref('int_criterion_scores') }}
