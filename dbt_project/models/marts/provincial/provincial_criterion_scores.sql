select
    year,
    evaluator as province_code,
    unit_type,
    unit_code,
    criterion_code,
    criterion_name,
    score,
    max_score,
    applicable
from {{ ref('int_criterion_scores') }}
where evaluator <> 'national'
order by year, evaluator, unit_type, unit_code, criterion_order
