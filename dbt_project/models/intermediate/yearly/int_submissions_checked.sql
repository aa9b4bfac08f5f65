-- Every submitted value with the first problem found in it, if any. Rows with an error
-- are held back from scoring (every copy of a duplicate: the warehouse cannot know which
-- is right); a warning (an empty value) still scores, as 0. A value given at both stages
-- (self-assessed and appraised) is no duplicate; twice at one stage it is.
-- `materialized`: the values are parsed once (stg_submissions is a view), not per use.
with submissions as materialized (
    select * from {{ ref('stg_submissions') }}
    where {{ in_run_years('year') }}
),

duplicates as (
    select year, unit_code, indicator_code, stage, count(*) as copies
    from submissions
    group by year, unit_code, indicator_code, stage
    having count(*) > 1
),

-- indicators a unit assessed itself: an appraisal left empty leaves the self-assessment scoring
self_assessed as (
    select distinct year, unit_code, indicator_code
    from submissions
    where stage = 'self'
),

registry as (
    select distinct unit_code from {{ ref('stg_units') }}
),

valid_units as (
    select s.year, s.unit_code
    from (select distinct year, unit_code from submissions) as s
    inner join {{ ref('stg_units') }} as u
        on u.unit_code = s.unit_code
        and s.year >= coalesce(u.valid_from, s.year)
        and s.year <= coalesce(u.valid_to, s.year)
),

checked as (
    select
        s.* exclude (value),
        e.framework_code,
        i.rule_type,
        i.max_points,
        i.unit as indicator_unit,
        -- a percentage is read by the indicator's unit: 72,25% is 0.7225 of a ratio
        cast(case
            when not s.is_percent then s.value
            when i.unit = 'percent' then s.value
            when i.unit = 'ratio' then s.value * 0.01
        end as decimal(38, 6)) as value,
        case
            when s.row_problem is not null then s.row_problem
            when s.row_year is not null and trim(s.row_year) <> cast(s.year as varchar)
                then
                    'the row says year ' || s.row_year || ' but the file is under submissions/'
                    || cast(s.year as varchar) || '/: held back'
            when s.stage is null
                then 'unknown stage `' || s.stage_text || '`: expected tự đánh giá (self) or thẩm định (appraised)'
            when s.unit_code is null then 'no unit_code'
            when r.unit_code is null then 'unknown unit ' || s.unit_code || ': not in units/units.csv'
            when v.unit_code is null then 'unit ' || s.unit_code || ' is not valid in ' || cast(s.year as varchar)
            when e.unit_code is null
                then 'no framework evaluates unit ' || s.unit_code || ' in ' || cast(s.year as varchar)
            when s.indicator_code is null then 'no indicator_code'
            when i.indicator_code is null
                then 'unknown indicator ' || s.indicator_code || ' for framework ' || e.framework_code
            when d.copies is not null
                then
                    'given ' || cast(d.copies as varchar) || ' times for this unit and year'
                    || case when s.stage = 'self' then ' as a self-assessment' else '' end
                    || ': every copy is held back'
            when s.value_status = 'invalid' then 'not a number: ' || s.value_text
            when s.value_status = 'ambiguous' then 'read two ways: ' || s.reading_reason
            when s.value < 0 then 'negative value ' || s.value_text
            when s.value >= 100000000000000000000
                then 'value ' || s.value_text || ' is too large (20 digits or more before the decimal mark)'
            when i.rule_type = 'boolean' and (s.is_percent or s.value not in (0, 1))
                then
                    '`' || s.value_text || '` is not a yes/no answer for a yes/no indicator '
                    || '(1/0, có/không, yes/no, true/false, đạt/không đạt)'
            when s.is_percent and i.unit is null
                then
                    '`' || s.value_text || '` is a percentage and indicator ' || s.indicator_code
                    || ' declares no unit: it reads ' || {{ decimal_text('s.value * 0.01') }} || ' as a ratio or '
                    || {{ decimal_text('s.value') }} || ' as a percent (add unit: ratio or percent to the framework)'
            when s.is_percent and i.unit = 'ratio' and s.value * 10000 <> floor(s.value * 10000)
                then '`' || s.value_text || '` has more decimals than a ratio of 6 decimals keeps'
            when s.is_percent and i.unit not in ('ratio', 'percent')
                then
                    '`' || s.value_text || '` is a percentage, but indicator ' || s.indicator_code
                    || ' is measured in ' || i.unit
            when not s.is_percent and i.unit = 'ratio' and s.value > 1
                then
                    'value ' || s.value_text || ' is above 1 for indicator ' || s.indicator_code
                    || ', a ratio (0..1): write it as a percentage (' || s.value_text || '%) or a ratio'
            when i.unit = 'percent' and s.value > 100
                then
                    'value ' || s.value_text || ' is above 100 % for indicator ' || s.indicator_code
                    || ', a percentage'
            when s.is_boolean_word and i.rule_type <> 'boolean'
                then
                    '`' || s.value_text || '` is a yes/no answer, but indicator ' || s.indicator_code
                    || ' is not a yes/no indicator'
            when i.rule_type = 'score' and s.value > i.max_points
                then
                    'value ' || s.value_text || ' is above the indicator maximum '
                    || {{ decimal_text('i.max_points') }}
            when s.value_status = 'missing' and s.stage = 'appraised' and sa.unit_code is not null
                then 'no appraised value: the self-assessed value scores, provisionally'
            when s.value_status = 'missing' then 'missing value: scores 0'
        end as reason
    from submissions as s
    left join registry as r on r.unit_code = s.unit_code
    left join valid_units as v on v.year = s.year and v.unit_code = s.unit_code
    left join {{ run_years_rows(ref('int_evaluated_units')) }} as e on e.year = s.year and e.unit_code = s.unit_code
    left join {{ ref('stg_indicators') }} as i
        on i.framework_code = e.framework_code and i.indicator_code = s.indicator_code
    left join self_assessed as sa
        on sa.year = s.year and sa.unit_code = s.unit_code and sa.indicator_code = s.indicator_code
    left join duplicates as d
        on d.year = s.year and d.unit_code = s.unit_code and d.indicator_code = s.indicator_code
        and d.stage is not distinct from s.stage
)

select
    *,
    case
        when reason is null then null
        when value_status = 'missing' and reason in (
            'missing value: scores 0', 'no appraised value: the self-assessed value scores, provisionally'
        ) then 'warning'
        else 'error'
    end as severity
from checked
