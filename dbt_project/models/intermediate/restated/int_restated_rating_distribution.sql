-- int_rating_distribution on the restated units (SPEC §4): units per band, and the row of
-- units not ranked. Only for a group whose restated units were all rated under the same
-- bands (see int_restated_unit_scores): groups merged from frameworks with different
-- bands have no common scale, and their shares' change stays empty. Same columns.
with units as (
    select * from {{ ref('int_restated_unit_scores') }}
),

bands as (
    select * from {{ ref('stg_rating_bands') }}
),

groups as (
    select year, evaluator, unit_type, peer_group, max(band_framework_code) as framework_code, count(*) as group_units
    from units
    group by year, evaluator, unit_type, peer_group
    having count(distinct band_set) = 1 and count(band_framework_code) = count(*)
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
        where
            u.year = g.year and u.evaluator = g.evaluator and u.unit_type = g.unit_type
            and u.peer_group = g.peer_group and not u.ranked
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
    on u.year = l.year and u.evaluator = l.evaluator and u.unit_type = l.unit_type and u.peer_group = l.peer_group
    and {{ rating_label('u.rating', 'u.ranked') }} = l.rating
group by l.year, l.evaluator, l.unit_type, l.peer_group, l.rating, l.band_order, l.group_units
