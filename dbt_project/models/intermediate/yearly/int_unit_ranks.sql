-- Standard competition ranking (1, 2, 2, 4) within evaluator, unit_type, peer group and year, on the
-- exact percentage: a unit's rank is 1 + the number of ranked peers whose
-- total/max_applicable is strictly higher, compared by cross-multiplication.
-- Totals and maxima are DECIMAL(18, 6) (below 10^12): one factor is widened to
-- DECIMAL(38, 6) so the product is DECIMAL(38, 12), room for 10^26; DuckDB would keep
-- DECIMAL(18, 6) × DECIMAL(18, 6) at DECIMAL(18, 12), which overflows at 10^6 (a unit
-- scoring 1,000 of 1,000 points).
with scores as (
    select * from {{ ref('int_unit_scores') }}
    where {{ in_run_years('year') }}
),

ranks as (
    select
        s.year,
        s.evaluator,
        s.unit_type,
        s.peer_group,
        s.unit_code,
        1 + count(p.unit_code) as rank
    from scores as s
    left join scores as p
        on p.year = s.year
        and p.evaluator = s.evaluator
        and p.unit_type = s.unit_type
        and p.peer_group = s.peer_group
        and p.ranked
        and cast(p.total_score as decimal(38, 6)) * s.max_applicable
        > cast(s.total_score as decimal(38, 6)) * p.max_applicable
    where s.ranked
    group by s.year, s.evaluator, s.unit_type, s.peer_group, s.unit_code
)

select
    s.*,
    r.rank
from scores as s
left join ranks as r
    on r.year = s.year and r.evaluator = s.evaluator
    and r.unit_type = s.unit_type and r.peer_group = s.peer_group and r.unit_code = s.unit_code
