with highlights as (
    select * from {{ ref('int_criterion_highlights') }}
    where evaluator = 'national'
)

select
    year,
    unit_type,
    {{ unit_type_label('unit_type') }} as unit_type_label,
    peer_group,
    criterion_code,
    criterion_name,
    criterion_order,
    level,
    max_score,
    unit_count,
    not_applicable_count,
    {{ divide_exact('score_sum', 'unit_count', 2, operand_scale=6) }} as avg_score,
    {{ divide_exact('score_sum', 'max_score_sum', 4, operand_scale=6) }} as avg_index,
    best_score,
    {{ divide_exact('best_score', 'max_score', 4, operand_scale=6) }} as best_index,
    best_unit_count,
    best_units,
    second_score,
    {{ divide_exact('second_score', 'max_score', 4, operand_scale=6) }} as second_index,
    second_unit_count,
    second_units,
    worst_score,
    {{ divide_exact('worst_score', 'max_score', 4, operand_scale=6) }} as worst_index,
    worst_unit_count,
    worst_units,
    max_reached_unit_count,
    max_reached_units,
    zero_unit_count,
    zero_units,
    {{ period_start('year') }} as period_start
from highlights
order by year, unit_type, peer_group, criterion_order
