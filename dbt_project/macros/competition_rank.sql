{#-
  The rows of `rows` (a CTE or relation, one row per unit_code within `partition`, a list
  of columns) with their standard competition rank (1, 2, 2, 4) among the rows of their
  partition whose `ranked` is true: 1 + the number of those whose ratio score / maximum is
  strictly higher, compared on exact values by cross-multiplication (no division, no
  rounding); null for a row not ranked. `score` is first cast to `score_type`, wide enough
  for the product: DuckDB keeps DECIMAL(18, 6) × DECIMAL(18, 6) at DECIMAL(18, 12), which
  overflows at 10^6 (a unit scoring 1,000 of 1,000 points).
-#}
{% macro with_competition_rank(rows, partition, score, maximum, score_type) -%}
    {%- set keys = partition + ['unit_code'] -%}
    select
        s.*,
        r.rank
    from {{ rows }} as s
    left join (
        select
            {%- for column in keys %}
            s.{{ column }},
            {%- endfor %}
            1 + count(p.unit_code) as rank
        from {{ rows }} as s
        left join {{ rows }} as p
            on
            {%- for column in partition %}
            p.{{ column }} = s.{{ column }} and
            {%- endfor %}
            p.ranked
            and cast(p.{{ score }} as {{ score_type }}) * s.{{ maximum }}
            > cast(s.{{ score }} as {{ score_type }}) * p.{{ maximum }}
        where s.ranked
        group by {% for column in keys %}s.{{ column }}{{ ', ' if not loop.last }}{% endfor %}
    ) as r
        on
        {%- for column in keys %}
        r.{{ column }} = s.{{ column }}{{ ' and' if not loop.last }}
        {%- endfor %}
{%- endmacro %}
