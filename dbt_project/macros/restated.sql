{#- Row `rows` (of a year as evaluated: framework_code, year, unit_code) is one of the
    predecessors of row `successor` of int_unit_successors, the rows a restated unit's
    values are the mean of (SPEC §4): a join's condition -#}
{% macro of_predecessor(rows, successor) -%}
    {{ rows }}.framework_code = {{ successor }}.framework_code and {{ rows }}.year = {{ successor }}.year
    and {{ rows }}.unit_code = {{ successor }}.predecessor_code
{%- endmacro %}
