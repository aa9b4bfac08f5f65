-- Who each framework evaluates each year: the units of its unit_type valid that year,
-- under the evaluating province (or every one of them when the Ministry evaluates), and
-- only those it names when it has a `units` list (its peer group).
with framework_units as (
    select * from {{ ref('stg_framework_units') }}
)

select
    f.framework_code,
    y.year,
    f.evaluator,
    f.unit_type,
    f.peer_group,
    u.unit_code,
    u.unit_name
from {{ ref('stg_frameworks') }} as f
inner join {{ run_years_rows(ref('stg_framework_years')) }} as y on y.framework_code = f.framework_code
inner join {{ ref('stg_units') }} as u
    on u.unit_type = f.unit_type
    and (f.evaluator = 'national' or u.parent_code = f.evaluator)
    and y.year >= coalesce(u.valid_from, y.year)
    and y.year <= coalesce(u.valid_to, y.year)
where
    not exists (select 1 from framework_units as n where n.framework_code = f.framework_code)
    or exists (
        select 1 from framework_units as n
        where n.framework_code = f.framework_code and n.unit_code = u.unit_code
    )
