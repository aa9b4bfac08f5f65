-- Average index per criterion at every level (and overall) over the units of a peer group,
-- kept as an exact fraction (numerator / denominator) so marts can round it and its change
-- once (macro category_averages). A criterion's average index is sum(score) /
-- sum(max_applicable) over the units it applies to (one max per framework and year, unless
-- N/A below lowers a unit's); the overall average is the mean of the units' indices.
with criteria as (
    select * from {{ ref('int_criterion_scores') }}
    where applicable and {{ in_run_years('year') }}
),

units as (
    select * from {{ ref('int_unit_scores') }}
    where max_applicable > 0 and {{ in_run_years('year') }}
)

{{ category_averages('units', 'criteria', 'sum(score)', 'sum(max_applicable)') }}
