-- The benchmark's floor: SPEC §4 scoring of the raw tables in one DuckDB query, with no
-- orchestration, written apart from dbt_project/ (no shared model or macro) so that it can
-- check the pipeline's ranks as well as time the engine.
--
-- Exact arithmetic in integers: values, points and maxima are held in millionths
-- (HUGEINT); a rounded division is (2·a + b) // (2·b); a percentage bound is a
-- cross-multiplication. Ranks order units by floor(total · 10^24 / max_applicable): two
-- different fractions a/b ≠ c/d differ by at least 1/(b·d), so with maxima up to 10^6
-- points (10^12 millionths) their keys differ, and equal fractions have equal keys.
--
-- It assumes clean submissions (no duplicate or out-of-range value, as bench.generate
-- writes them): the quarantine rules of the pipeline are not the floor's work.
with

units as (
    select
        trim(unit_code) as unit_code,
        lower(trim(unit_type)) as unit_type,
        nullif(trim(parent_code), '') as parent_code,
        coalesce(try_cast(nullif(trim(valid_from), '') as integer), -1000000) as valid_from,
        coalesce(try_cast(nullif(trim(valid_to), '') as integer), 1000000) as valid_to
    from raw.units
),

-- who each framework evaluates each year
evaluated as (
    select f.framework_code, fy.year, trim(f.evaluator) as evaluator, f.unit_type, u.unit_code
    from raw.frameworks as f
    join raw.framework_years as fy on fy.framework_code = f.framework_code
    join units as u
        on u.unit_type = f.unit_type
        and (trim(f.evaluator) = 'national' or u.parent_code = trim(f.evaluator))
        and fy.year between u.valid_from and u.valid_to
),

-- a value as text: not applicable, a boolean word, or a number written either way
cleaned as (
    select
        year,
        trim(unit_code) as unit_code,
        trim(indicator_code) as indicator_code,
        lower(regexp_replace(coalesce(value_text, ''), '\s+', '', 'g')) as t
    from raw.submissions
),

parsed as (
    select
        year, unit_code, indicator_code,
        t in ('n/a', 'na', 'kad', 'khôngápdụng') as na,
        cast(1000000 * case
            when t in ('có', 'co', 'yes', 'true', 'đạt') then 1
            when t in ('không', 'khong', 'no', 'false', 'khôngđạt') then 0
            -- 417,30 and 1.234,5: with a comma, dots group thousands and the comma is the
            -- decimal mark; 1.234.567: dots group thousands; 0.588: a decimal point
            when contains(t, ',') then try_cast(replace(replace(t, '.', ''), ',', '.') as decimal(18, 6))
            when t like '%.%.%' then try_cast(replace(t, '.', '') as decimal(18, 6))
            else try_cast(t as decimal(18, 6))
        end as hugeint) as v
    from cleaned
),

steps as (
    select framework_code, indicator_code,
           cast(threshold * 1000000 as hugeint) as threshold,
           cast(points * 1000000 as hugeint) as points
    from raw.indicator_steps
),

-- every indicator of every evaluated unit, with its value if one was sent
cells as (
    select
        e.framework_code, e.year, e.evaluator, e.unit_type, e.unit_code,
        i.criterion_code, i.indicator_code, i.rule_type,
        cast(i.max_points * 1000000 as hugeint) as max_points,
        cast(i.full_at * 1000000 as hugeint) as full_at,
        coalesce(p.na, false) as na,
        p.v
    from evaluated as e
    join raw.indicators as i on i.framework_code = e.framework_code
    left join parsed as p
        on p.year = e.year and p.unit_code = e.unit_code and p.indicator_code = i.indicator_code
),

with_best as (
    select *,
        case when rule_type = 'relative'
            then max(v) over (partition by framework_code, year, indicator_code) end as best
    from cells
),

-- the step reached: the highest threshold at or under the value
points as (
    select
        c.framework_code, c.year, c.evaluator, c.unit_type, c.unit_code, c.criterion_code,
        c.indicator_code, c.rule_type, c.na,
        least(c.max_points, case
            when c.v is null then 0
            when c.rule_type = 'score' then c.v
            when c.rule_type = 'boolean' then case when c.v = 1000000 then c.max_points else 0 end
            when c.rule_type = 'linear'
                then 100 * ((2 * c.max_points * c.v + 100 * c.full_at) // (200 * c.full_at))
            when c.rule_type = 'relative'
                then case when c.best > 0
                    then 100 * ((2 * c.max_points * c.v + 100 * c.best) // nullif(200 * c.best, 0)) else 0 end
            when c.rule_type = 'steps' then coalesce(s.points, 0)
        end) as points
    from with_best as c
    asof left join steps as s
        on s.framework_code = c.framework_code and s.indicator_code = c.indicator_code
        and c.v >= s.threshold
),

criteria as (
    select
        p.framework_code, p.year, p.evaluator, p.unit_type, p.unit_code, p.criterion_code,
        least(sum(p.points), any_value(cast(k.max_points * 1000000 as hugeint))) as score,
        any_value(cast(k.max_points * 1000000 as hugeint)) as max_score,
        bool_or(not p.na) as applicable,
        any_value(k.required_for_rank) as required_for_rank
    from points as p
    join raw.criteria as k on k.framework_code = p.framework_code and k.criterion_code = p.criterion_code
    group by all
),

totals as (
    select
        framework_code, year, evaluator, unit_type, unit_code,
        sum(score) as total,
        sum(case when applicable then max_score else 0 end) as max_applicable,
        bool_or(required_for_rank and not applicable) as required_not_applicable,
        -- the applicable criterion with the lowest percentage, for the bands' floors
        arg_min(score, score * 1000000000000000000000000 // nullif(max_score, 0))
            filter (where applicable) as worst_score,
        arg_min(max_score, score * 1000000000000000000000000 // nullif(max_score, 0))
            filter (where applicable) as worst_max
    from criteria
    group by all
),

rated as (
    select
        t.*,
        t.max_applicable > 0 and not t.required_not_applicable as ranked,
        (
            select arg_min(b.label, b.band_order)
            from raw.rating_bands as b
            where b.framework_code = t.framework_code
                and t.total * 100 * 10000 >= cast(b.min_pct * 10000 as hugeint) * t.max_applicable
                and (b.min_criterion_pct is null or t.worst_score is null
                     or t.worst_score * 100 * 10000 >= cast(b.min_criterion_pct * 10000 as hugeint) * t.worst_max)
        ) as band
    from totals as t
)

select
    year,
    evaluator,
    unit_type,
    unit_code,
    framework_code,
    cast(cast(total as decimal(38, 0)) * 0.000001 as decimal(18, 6)) as total_score,
    cast(cast(max_applicable as decimal(38, 0)) * 0.000001 as decimal(18, 6)) as max_applicable,
    case when max_applicable > 0 then cast(cast(
        (2 * total * 10000 + max_applicable) // nullif(2 * max_applicable, 0) as decimal(38, 0)) * 0.01
        as decimal(18, 2)) end as score_pct,
    case when ranked then band end as rating,
    ranked,
    case when ranked then rank() over (
        partition by year, evaluator, unit_type, ranked
        order by total * 1000000000000000000000000 // nullif(max_applicable, 0) desc
    ) end as rank
from rated
