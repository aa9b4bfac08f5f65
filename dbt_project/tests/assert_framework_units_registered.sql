-- A framework's `units` must name registered units of its unit_type: a code that is not
-- there would otherwise leave the unit out of the ranking without a trace. In Dagster it is
-- a check on stg_framework_units.
{{ config(meta={'dagster': {'ref': {'name': 'stg_framework_units'}}}) }}

select fu.framework_code, fu.unit_code, f.unit_type, f.source_file
from {{ ref('stg_framework_units') }} as fu
inner join {{ ref('stg_frameworks') }} as f on f.framework_code = fu.framework_code
where not exists (
    select 1 from {{ ref('stg_units') }} as u
    where u.unit_code = fu.unit_code and u.unit_type = f.unit_type
)
