-- Units per rating in each peer group, over all evaluated units of the group (ranked or
-- not): Bình Định's "+20 %" of Tốt is 4 more departments of 20. Every band of the
-- framework appears, with 0 units if none, so a share's change is always defined; units
-- that are not ranked form their own row (macro rating_distribution). A framework without
-- bands (the DTI) has no rows.
with units as (
    select * from {{ ref('int_unit_scores') }}
    where {{ in_run_years('year') }}
),

groups as (
    select framework_code, {{ peer_group_keys() }}, count(*) as group_units
    from units
    where exists (select 1 from {{ ref('stg_rating_bands') }} as b where b.framework_code = units.framework_code)
    group by framework_code, {{ peer_group_keys() }}
)

{{ rating_distribution('groups', 'units', 'u.framework_code = g.framework_code and u.year = g.year') }}
