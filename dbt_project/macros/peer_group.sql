{#-
  The peer group (SPEC §4): units are rated, ranked and compared within a year, an
  evaluator, a unit_type and a peer group. These macros name its columns, in that order,
  wherever rows are selected, grouped, partitioned or joined at that grain; `extra` adds
  the columns of a finer grain (unit_code, …), `alias` qualifies each column.
-#}
{% macro peer_group_columns(extra=[]) -%}
    {{ return(['year', 'evaluator', 'unit_type', 'peer_group'] + extra) }}
{%- endmacro %}

{#- "s.year, s.evaluator, s.unit_type, s.peer_group" (then `extra`), for a select list,
    a group by or a partition -#}
{% macro peer_group_keys(alias=none, extra=[]) -%}
    {%- for column in peer_group_columns(extra) -%}
        {{ alias ~ '.' if alias }}{{ column }}{{ ', ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}

{#- the same peer group (and `extra`) in `left` and `right`: a join's condition -#}
{% macro same_peer_group(left, right, extra=[]) -%}
    {%- for column in peer_group_columns(extra) -%}
        {{ left }}.{{ column }} = {{ right }}.{{ column }}{{ ' and ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}

{#- An evaluated unit of a year (int_evaluated_units' grain): its framework, then its peer
    group and unit_code -#}
{% macro evaluated_unit_keys(alias=none) -%}
    {{ alias ~ '.' if alias }}framework_code, {{ peer_group_keys(alias, ['unit_code']) }}
{%- endmacro %}
