{#-
  The years a run rebuilds, from the var `years` (Dagster passes a partition's years;
  none means every year). Each is rendered through `int`, so the var can only ever
  become a list of numbers in the SQL.
-#}
{% macro run_years() -%}
    {%- set years = var('years', []) -%}
    {%- if years is string or years is number -%}{%- set years = [years] -%}{%- endif -%}
    {{ return(years | map('int') | list) }}
{%- endmacro %}

{% macro in_run_years(column) -%}
    {%- set years = run_years() -%}
    {%- if years -%} {{ column }} in ({{ years | join(', ') }}) {%- else -%} 1 = 1 {%- endif -%}
{%- endmacro %}

{#- pre-hook of the yearly models: an incremental run first removes the years it rebuilds,
    so a year whose inputs shrank leaves nothing stale behind -#}
{% macro delete_run_years() -%}
    {%- if is_incremental() -%}
        delete from {{ this }} where {{ in_run_years('year') }}
    {%- endif -%}
{%- endmacro %}
