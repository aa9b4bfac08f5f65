{#-
  A unit's published percentage and indices, of the exact fraction numerator / denominator
  (its total over its applicable maximum as evaluated; the sum of its predecessors' indices
  over their count as restated): score_pct to 2 decimals, index to 4, and index_fine to 12
  for the means and averages taken over units; each rounded once (macro divide_exact).
  The numerator is widened to 38 digits before × 100: DuckDB keeps DECIMAL(18, …) × 100
  at width 18. `operand_scale` as for divide_exact.
-#}
{% macro unit_indices(numerator, denominator, operand_scale=12) -%}
    {{ divide_exact('cast(' ~ numerator ~ ' as decimal(38, ' ~ operand_scale ~ ')) * 100', denominator, 2,
                    operand_scale=operand_scale) }} as score_pct,
    {{ divide_exact(numerator, denominator, 4, operand_scale=operand_scale) }} as index,
    {{ divide_exact(numerator, denominator, 12, operand_scale=operand_scale) }} as index_fine
{%- endmacro %}
