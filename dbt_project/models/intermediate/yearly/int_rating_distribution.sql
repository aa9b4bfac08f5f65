-- Units per rating in each peer group, over all evaluated units of the group (ranked or
-- not): Bình Định's "+20 %" of Tốt is 4 more departments of 20. Every band of the
-- framework appears, with 0 units if none, so a share's change is always defined; units
-- that are not ranked form their own row. A framework without bands (the DTI) has no rows.
with units as (
    select * from {{ ref('int_unit_scores') }}
    where {{ in_run_years('year') }}
),

bands as (
    select * from {{ ref('stg_rating_bands') }}
),

groups as (
    select framework_code, year, evaluator, unit_type, peer_group, count(*) as group_units
    from units
    where exists (select 1 from bands as b where b.framework_code = units.framework_code)
    group by framework_code, year, evaluator, unit_type, peer_group
),

labels as (
    select g.*, b.rating, b.band_order
    from groups as g
    inner join bands as b on b.framework_code = g.framework_code
    union all
    select g.*, {{ label_literal(var("not_ranked_label")) }} as rating, 999 as band_order
    from groups as g
    where exists (
        select 1 from units as u
        where u.framework_code = g.framework_code and u.year = g.year and not u.ranked
    )
)

select
    l.year,
    l.evaluator,
    l.unit_type,
    l.peer_group,
    l.rating,
    l.band_order,
    l.group_units,
    count(u.unit_code) as unit_count
from labels as l
left join units as u
    on u.framework_code = l.framework_code
    and u.year = l.year
    and {{ rating_label('u.rating', 'u.ranked') }} = l.rating
group by l.year, l.evaluator, l.unit_type, l.peer_group, l.rating, l.band_order, l.group_units
