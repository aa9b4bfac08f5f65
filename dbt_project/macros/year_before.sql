{#-
  What a year is compared with (SPEC §4): the year before as evaluated, or, in a group
  that the lineage changed (int_unit_successors), the year before restated on this year's
  units. `evaluated` and `restated` are relations that both have `columns` (a list of
  names) and year, evaluator, unit_type and peer_group; a boolean `restated` is added.
  A consumer joins the result on its own year - 1.
-#}
{% macro year_before(evaluated, restated, columns) -%}
    select {{ columns | join(', ') }}, false as restated
    from {{ evaluated }} as e
    where not exists (
        select 1 from {{ ref('int_unit_successors') }} as g
        where {{ same_peer_group('g', 'e') }}
    )
    union all
    select {{ columns | join(', ') }}, true as restated
    from {{ restated }}
{%- endmacro %}

{#- The rows of `evaluated` (which has `keys` and rank) with rank_prev, the rank of the same
    keys the year before (macro year_before: restated where the lineage changed the group),
    rank_change = rank_prev − rank (positive = moved up) and rank_prev_restated. `keys`
    are the columns that name a ranked row within a year, year among them. -#}
{% macro with_rank_change(evaluated, restated, keys) -%}
    select
        r.*,
        prev.rank as rank_prev,
        prev.rank - r.rank as rank_change,
        prev.restated as rank_prev_restated
    from {{ evaluated }} as r
    left join ({{ year_before(evaluated, restated, keys + ['rank']) }}) as prev
        on prev.year = r.year - 1
        {%- for column in keys if column != 'year' %}
        and prev.{{ column }} = r.{{ column }}
        {%- endfor %}
{%- endmacro %}
