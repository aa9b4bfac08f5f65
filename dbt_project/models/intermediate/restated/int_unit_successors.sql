-- Across a reorganisation (SPEC §3.1, §4). For every year after which units/lineage.csv
-- changes something, whom each evaluated unit is carried on by the next year: the
-- successors its lineage rows of that year name, or else itself, when it is still a unit
-- of its type then (a unit abolished with no successor has none).
-- A successor is restated in its predecessor's unit_type and peer group, under its own
-- evaluator of the next year: the departments of a merged province join its successor's.
-- Only the groups the lineage changes are kept: some unit of the group has a lineage row,
-- or comes from another evaluator; every other group is compared as evaluated.
with lineage as (
    select * from {{ ref('stg_lineage') }}
),

evaluated as (
    select * from {{ ref('int_unit_scores') }}
    where year + 1 in (select year from lineage)
),

successors as (
    select
        {{ peer_group_keys('e', ['framework_code', 'unit_code']) }},
        l.successor_code, true as by_lineage
    from evaluated as e
    inner join lineage as l on l.predecessor_code = e.unit_code and l.year = e.year + 1
    union all
    select
        {{ peer_group_keys('e', ['framework_code', 'unit_code']) }},
        e.unit_code as successor_code, false as by_lineage
    from evaluated as e
    where not exists (select 1 from lineage as l where l.predecessor_code = e.unit_code and l.year = e.year + 1)
),

placed as (
    select
        s.year,
        case when s.evaluator = 'national' then 'national' else coalesce(u.parent_code, s.evaluator) end as evaluator,
        s.unit_type,
        s.peer_group,
        s.successor_code as unit_code,
        u.unit_name,
        s.framework_code,
        s.evaluator as predecessor_evaluator,
        s.unit_code as predecessor_code,
        s.by_lineage
    from successors as s
    inner join {{ ref('stg_units') }} as u
        on u.unit_code = s.successor_code
        and u.unit_type = s.unit_type
        and s.year + 1 >= coalesce(u.valid_from, s.year + 1)
        and s.year + 1 <= coalesce(u.valid_to, s.year + 1)
),

changed as (
    select distinct {{ peer_group_keys() }}
    from placed
    where by_lineage or evaluator <> predecessor_evaluator
)

select p.*
from placed as p
inner join changed as c on {{ same_peer_group('c', 'p') }}
