-- The provinces' twin of national_category_averages: the average index of each criterion
-- (every level, and `overall`) over a province's peer group, and its change.
select
    year,
    evaluator as province_code,
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
where evaluator <> 'national'
order by year, evaluator, unit_type, peer_group, criterion_order
