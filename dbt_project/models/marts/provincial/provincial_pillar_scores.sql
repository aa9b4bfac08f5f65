-- Pillars of the provinces' frameworks.
with pillars as (
    select * from {{ ref('int_pillar_rank_changes') }}
    where evaluator <> 'national'
)

select
    year,
    evaluator as province_code,
    unit_type,
    {{ unit_type_label('unit_type') }} as unit_type_label,
    peer_group,
    unit_code,
    framework_code,
    pillar_code,
    pillar_name,
    pillar_order,
    score,
    max_score,
    max_applicable,
    index,
    rank,
    rank_prev,
    rank_change,
    rank_prev_restated,
    {{ period_start('year') }} as period_start
from pillars
order by year, evaluator, unit_type, peer_group, pillar_order, rank nulls last, unit_code
