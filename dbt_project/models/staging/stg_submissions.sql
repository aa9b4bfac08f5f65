-- Every submitted value read once, one way per file (see macros/parse_value.sql): each
-- value's two readings, the file's convention from all its values, then the value, or
-- the reason it cannot be read.
with source as (
    select * from {{ source('raw', 'submissions') }}
),

compacted as (
    select *, trim(value_text) as trimmed, {{ value_compact('value_text') }} as compact
    from source
),

marked as (
    select
        *,
        compact like '%\%' escape '\' as is_percent,
        {{ boolean_word('compact') }} as word
    from compacted
),

readings as (
    select
        *,
        {{ reading_point("rtrim(compact, '%')") }} as by_point,
        case
            when value_type = 'number' then {{ reading_point("rtrim(compact, '%')") }}
            else {{ reading_comma("rtrim(compact, '%')") }}
        end as by_comma
    from marked
),

-- what the file's text values show: a value with one reading only is evidence
conventions as (
    select
        year,
        source_file,
        count(*) filter (where by_point is not null and by_comma is null) as point_values,
        count(*) filter (where by_comma is not null and by_point is null) as comma_values,
        min(row_number) filter (where by_point is not null and by_comma is null) as point_row,
        arg_min(value_text, row_number) filter (where by_point is not null and by_comma is null) as point_text,
        min(row_number) filter (where by_comma is not null and by_point is null) as comma_row,
        arg_min(value_text, row_number) filter (where by_comma is not null and by_point is null) as comma_text
    from readings
    where value_type is null and word is null
    group by year, source_file
),

decided as (
    select
        r.*,
        c.point_values,
        c.point_row,
        c.point_text,
        c.comma_values,
        c.comma_row,
        c.comma_text,
        -- the file's convention is the mark most of its deciding values use; in a file that
        -- writes both, only a value with the one reading of that convention is read
        case
            when r.word is not null then r.word
            when r.by_point = r.by_comma then r.by_point
            when c.point_values > c.comma_values and (c.comma_values = 0 or r.by_comma is null) then r.by_point
            when c.comma_values > c.point_values and (c.point_values = 0 or r.by_point is null) then r.by_comma
        end as value
    from readings as r
    left join conventions as c
        on c.year = r.year and c.source_file is not distinct from r.source_file
)

select
    year,
    source_file,
    row_number,
    nullif(trim(unit_code), '') as unit_code,
    nullif(trim(indicator_code), '') as indicator_code,
    -- SPEC §3.3: the self-assessment or the appraisal (the default without a stage); null
    -- for a stage that is neither, held back by int_submissions_checked
    case
        when nullif(trim(stage), '') is null then 'appraised'
        when {{ stage_name('stage') }} in ('thẩm định', 'appraised') then 'appraised'
        when {{ stage_name('stage') }} in ('tự đánh giá', 'self') then 'self'
    end as stage,
    stage as stage_text,
    value_text,
    case
        when nullif(trimmed, '') is null then 'missing'
        when {{ is_not_applicable('trimmed') }} then 'na'
        when value is not null then 'number'
        when by_point is null and by_comma is null then 'invalid'
        else 'ambiguous'
    end as value_status,
    value,
    is_percent and value is not null and word is null as is_percent,
    word is not null as is_boolean_word,
    -- why an ambiguous value is held back: both readings, and what the file shows (a value
    -- that breaks its file's convention is evidence of the other: the file writes both)
    case
        when value is null and (by_point is not null or by_comma is not null) then
            '`' || trimmed || '` reads '
            || coalesce({{ decimal_text('by_point') }}, 'as no number') || ' with a decimal point and '
            || coalesce({{ decimal_text('by_comma') }}, 'as no number') || ' with a decimal comma, and '
            || case
                when point_values > 0 and comma_values > 0
                    then
                        'the file writes numbers both ways (' || point_values || ' with a decimal point as row '
                        || point_row || ' `' || point_text || '`, ' || comma_values || ' with a decimal comma as row '
                        || comma_row || ' `' || comma_text || '`)'
                else 'no other value of the file shows which mark it uses'
            end
    end as reading_reason,
    note,
    value_type,
    row_year,
    row_problem
from decided
