-- Every criterion at every level; index = score / max_applicable (SPEC §4), 4 decimals.
select
    year,
    unit_type,
    {{ unit_type_label('unit_type') }} as unit_type_label,
    peer_group,
    unit_code,
    criterion_code,
    criterion_name,
    parent_criterion_code,
    level,
    score,
    max_score,
    max_applicable,
    applicable,
    {{ divide_exact('score', 'max_applicable', 4, operand_scale=6) }} as index,
    {{ period_start('year') }} as period_start
from {{ ref('int_criterion_scores') }}
where evaluator = 'national'
order by year, unit_type, unit_code, criterion_order
