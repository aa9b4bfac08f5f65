-- Average index per criterion at every level (and overall) over the units of a peer group,
-- kept as an exact fraction (numerator / denominator) so marts can round it and its change
-- once. A criterion's average index is sum(score) / sum(max_applicable) over the units it
-- applies to (one max per framework and year, unless N/A below lowers a unit's); the
-- overall average is the mean of the units' indices.
-- Both forms are typed alike, numerator DECIMAL(38, 12) and denominator DECIMAL(38, 6):
-- the mart cross-multiplies them (a year against the previous one).
with criteria as (
    select * from {{ ref('int_criterion_scores') }}
    where {{ in_run_years('year') }}
),

units as (
    select * from {{ ref('int_unit_scores') }}
    where {{ in_run_years('year') }}
),

by_criterion as (
    select
        year,
        evaluator,
        unit_type,
        peer_group,
        criterion_code,
        max(criterion_name) as criterion_name,
        min(criterion_order) as criterion_order,
        max(parent_criterion_code) as parent_criterion_code,
        min(level) as level,
        count(*) as unit_count,
        cast(sum(score) as decimal(38, 12)) as index_numerator,
        cast(sum(max_applicable) as decimal(38, 6)) as index_denominator
    from criteria
    where applicable
    group by year, evaluator, unit_type, peer_group, criterion_code
),

overall as (
    select
        year,
        evaluator,
        unit_type,
        peer_group,
        'overall' as criterion_code,
        'Chỉ số tổng thể' as criterion_name,
        0 as criterion_order,
        null as parent_criterion_code,
        0 as level,
        count(*) as unit_count,
        cast(sum(index_fine) as decimal(38, 12)) as index_numerator,
        cast(count(*) as decimal(38, 6)) as index_denominator
    from units
    where max_applicable > 0
    group by year, evaluator, unit_type, peer_group
)

select * from overall
union all
select * from by_criterion
