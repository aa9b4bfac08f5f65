-- Each evaluated unit's total, applicable maximum, rating, whether it is ranked (SPEC §4)
-- and whether it is provisional (scored on a self-assessed value, SPEC §3.3). Every
-- comparison with a percentage is a cross-multiplication of exact decimals:
-- `total * 100 >= min_pct * max_applicable`, so 105/150 is exactly 70 %.
-- DuckDB keeps DECIMAL(18, …) × DECIMAL(18, …) at width 18 (it overflows once the product
-- reaches 10^6 at 12 decimals), so one factor of every product is widened to 38 digits:
-- scores and maxima are below 10^12 and percentages below 10^5, so every product fits.
-- The total is over the top-level criteria; a required criterion at any level that is not
-- applicable keeps the unit out of the ranking; a band's floor applies to the top level.
-- Why a unit is not ranked: a stable code for machines (not_ranked_code) and the reason
-- in Vietnamese as the reports print it (not_ranked_reason).
with all_levels as (
    select * from {{ ref('int_criterion_scores') }}
    where {{ in_run_years('year') }}
),

criteria as (
    select * from all_levels
    where level = 1
),

inapplicable_required as (
    select
        framework_code,
        year,
        unit_code,
        -- named as published ("(3) Trang thông tin điện tử - nhóm 3.2: Dịch vụ công trực tuyến"):
        -- the name carries the framework's numbering, in quotes as names hold ', ' and ':'
        string_agg('“' || criterion_name || '”', ', ' order by criterion_order) as criteria
    from all_levels
    where required_for_rank and not applicable
    group by framework_code, year, unit_code
),

totals as (
    select
        {{ evaluated_unit_keys() }},
        -- at most the sum of the framework's criterion maxima, below 10^12: DECIMAL(18, 6)
        cast(sum(score) as decimal(18, 6)) as total_score,
        cast(sum(max_applicable) as decimal(18, 6)) as max_applicable,
        -- scored on a self-assessed value somewhere (SPEC §3.3): until it is appraised
        coalesce(bool_or(provisional), false) as provisional
    from criteria
    group by {{ evaluated_unit_keys() }}
),

-- bands whose per-criterion floor some applicable criterion of the unit misses
floor_misses as (
    select distinct c.framework_code, c.year, c.unit_code, b.band_order
    from criteria as c
    inner join {{ ref('stg_rating_bands') }} as b on b.framework_code = c.framework_code
    where
        b.min_criterion_pct is not null
        and c.applicable
        and cast(c.score as decimal(38, 6)) * 100 < cast(b.min_criterion_pct as decimal(38, 4)) * c.max_applicable
),

bands_met as (
    select
        t.framework_code,
        t.year,
        t.unit_code,
        b.rating,
        row_number() over (
            partition by t.framework_code, t.year, t.unit_code order by b.band_order
        ) as preference
    from totals as t
    inner join {{ ref('stg_rating_bands') }} as b on b.framework_code = t.framework_code
    left join floor_misses as m
        on m.framework_code = t.framework_code and m.year = t.year
        and m.unit_code = t.unit_code and m.band_order = b.band_order
    where
        t.max_applicable > 0
        and cast(t.total_score as decimal(38, 6)) * 100 >= cast(b.min_pct as decimal(38, 4)) * t.max_applicable
        and m.band_order is null
),

scored as (
    select
        t.*,
        t.max_applicable > 0 and ir.criteria is null as ranked,
        case
            when t.max_applicable = 0 then 'nothing_applicable'
            when ir.criteria is not null then 'mandatory_not_applicable'
        end as not_ranked_code,
        case
            when t.max_applicable = 0 then 'không có tiêu chí nào được áp dụng'
            when ir.criteria is not null then 'tiêu chí bắt buộc không áp dụng: ' || ir.criteria
        end as not_ranked_reason,
        bm.rating
    from totals as t
    left join inapplicable_required as ir
        on ir.framework_code = t.framework_code and ir.year = t.year and ir.unit_code = t.unit_code
    left join bands_met as bm
        on bm.framework_code = t.framework_code and bm.year = t.year
        and bm.unit_code = t.unit_code and bm.preference = 1
)

select
    {{ evaluated_unit_keys() }},
    total_score,
    max_applicable,
    {{ unit_indices('total_score', 'max_applicable', operand_scale=6) }},
    case when ranked then rating end as rating,
    ranked,
    not_ranked_code,
    not_ranked_reason,
    provisional
from scored
