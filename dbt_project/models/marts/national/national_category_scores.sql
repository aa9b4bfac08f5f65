select
    year,
    unit_type,
    unit_code,
    criterion_code,
    criterion_name,
    score,
    max_score,
    applicable,
    case when applicable then {{ divide_exact('score', 'max_score', 4, operand_scale=6) }} end as index
from {{ ref('int_criterion_scores') }}
where evaluator = 'national'
order by year, unit_type, unit_code, criterion_order
