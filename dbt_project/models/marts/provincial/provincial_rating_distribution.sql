-- Units per rating and its share of the peer group, and the change of the share from the
-- year before, as evaluated or restated where the lineage changed the group.
with distribution as (
    select * from {{ ref('int_rating_distribution') }}
    where evaluator <> 'national'
),

previous as (
    {{ year_before(ref('int_rating_distribution'), ref('int_restated_rating_distribution'),
                   peer_group_columns(['rating', 'unit_count', 'group_units'])) }}
)

select
    d.year,
    d.evaluator as province_code,
    d.unit_type,
    {{ unit_type_label('d.unit_type') }} as unit_type_label,
    d.peer_group,
    d.rating,
    d.band_order,
    d.unit_count,
    {{ divide_exact('100 * d.unit_count', 'd.group_units', 2) }} as share_pct,
    {{ divide_exact('100 * p.unit_count', 'p.group_units', 2) }} as share_pct_prev,
    {{ ratio_change('100 * d.unit_count', 'd.group_units', '100 * p.unit_count', 'p.group_units', 2) }} as change_pct,
    p.restated as prev_restated,
    d.group_units,
    {{ period_start('d.year') }} as period_start
from distribution as d
left join previous as p
    on p.year = d.year - 1 and p.evaluator = d.evaluator
    and p.unit_type = d.unit_type and p.peer_group = d.peer_group and p.rating = d.rating
order by d.year, d.evaluator, d.unit_type, d.peer_group, d.band_order
