with statistics as (
    select * from {{ ref('int_indicator_statistics') }}
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
    indicator_code,
    indicator_name,
    indicator_order,
    rule_type,
    max_points,
    unit_count,
    applicable_count,
    reported_count,
    na_count,
    missing_count,
    met_count,
    {{ divide_exact('100 * met_count', 'applicable_count', 2) }} as met_pct,
    {{ divide_exact('value_sum', 'reported_count', 4, operand_scale=6) }} as value_avg,
    value_min,
    value_max,
    {{ divide_exact('points_sum', 'applicable_count', 4, operand_scale=6) }} as points_avg,
    {{ period_start('year') }} as period_start
from statistics
order by year, unit_type, peer_group, criterion_order, indicator_order
