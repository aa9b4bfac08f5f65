-- Standard competition ranking (1, 2, 2, 4) within evaluator, unit_type, peer group and year, on the
-- exact percentage total_score / max_applicable (macro with_competition_rank). Totals and
-- maxima are DECIMAL(18, 6) (below 10^12): the score is widened to DECIMAL(38, 6) so the
-- product is DECIMAL(38, 12), room for 10^26.
with scores as (
    select * from {{ ref('int_unit_scores') }}
    where {{ in_run_years('year') }}
)

{{ with_competition_rank('scores', peer_group_columns(),
                         'total_score', 'max_applicable', 'decimal(38, 6)') }}
