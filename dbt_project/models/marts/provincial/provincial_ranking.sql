with ranks as (
    select * from {{ ref('int_rank_changes') }}
    where evaluator <> 'national'
),

units as (
    select * from {{ ref('int_evaluated_units') }}
),

provinces as (
    select * from {{ ref('stg_units') }}
    where unit_type = 'province'
),

held_back as (
    select * from {{ ref('int_held_back_values') }}
)

select
    r.year,
    r.evaluator as province_code,
    p.unit_name as province_name,
    r.unit_type,
    {{ unit_type_label('r.unit_type') }} as unit_type_label,
    r.peer_group,
    r.unit_code,
    u.unit_name,
    r.framework_code,
    r.total_score,
    r.max_applicable,
    r.score_pct,
    r.index,
    r.rating,
    {{ rating_label('r.rating', 'r.ranked') }} as rating_label,
    r.ranked,
    r.not_ranked_code,
    r.not_ranked_reason,
    r.rank,
    r.rank_prev,
    r.rank_change,
    r.rank_prev_restated,
    r.provisional,
    coalesce(h.held_back_values, 0) as held_back_values,
    {{ period_start('r.year') }} as period_start
from ranks as r
inner join units as u
    on u.framework_code = r.framework_code and u.year = r.year and u.unit_code = r.unit_code
left join provinces as p
    on p.unit_code = r.evaluator
    and r.year >= coalesce(p.valid_from, r.year)
    and r.year <= coalesce(p.valid_to, r.year)
left join held_back as h on h.year = r.year and h.unit_code = r.unit_code
order by r.year, r.evaluator, r.unit_type, r.peer_group, r.rank nulls last, r.unit_code
