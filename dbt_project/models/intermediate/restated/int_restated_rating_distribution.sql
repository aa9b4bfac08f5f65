-- int_rating_distribution on the restated units (SPEC §4): units per band, and the row of
-- units not ranked. Only for a group whose restated units were all rated under the same
-- bands (see int_restated_unit_scores): groups merged from frameworks with different
-- bands have no common scale, and their shares' change stays empty. Same columns.
with units as (
    select * from {{ ref('int_restated_unit_scores') }}
),

groups as (
    select {{ peer_group_keys() }}, max(band_framework_code) as framework_code, count(*) as group_units
    from units
    group by {{ peer_group_keys() }}
    having count(distinct band_set) = 1 and count(band_framework_code) = count(*)
)

{{ rating_distribution('groups', 'units', same_peer_group('u', 'g')) }}
