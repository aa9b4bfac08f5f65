select
    year,
    unit_type,
    {{ unit_type_label('unit_type') }} as unit_type_label,
    peer_group,
    criterion_code,
    criterion_name,
    parent_criterion_code,
    level,
    avg_index,
    avg_index_prev,
    change,
    prev_restated,
    unit_count,
    {{ period_start('year') }} as period_start
from {{ ref('int_category_average_changes') }}
where evaluator = 'national'
order by year, unit_type, peer_group, criterion_order
