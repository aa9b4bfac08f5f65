{#-
  The years a run rebuilds. Dagster writes them to the table raw.run_years for the length
  of its dbt step (a var would change dbt's parse state every run, and dbt would re-parse
  the whole project); the var `years` serves runs by hand (`--vars '{years: [2024]}'`),
  and `all`, or neither, means every year. Each year is rendered through `int`, so only
  numbers ever reach the SQL.
-#}
{% macro run_years() -%}
    {%- set years = var('years', []) -%}
    {%- if years == 'all' -%}{{ return([]) }}{%- endif -%}
    {%- if years is string or years is number -%}{%- set years = [years] -%}{%- endif -%}
    {%- if not years and execute -%}
        {%- set table = adapter.get_relation(database=target.database, schema='raw', identifier='run_years') -%}
        {%- if table is not none -%}
            {%- set years = run_query('select year from ' ~ table).columns[0].values() -%}
        {%- endif -%}
    {%- endif -%}
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

{#- the rows of `relation` of the years a run rebuilds (and where `condition` holds), as a
    subquery for a from or a join -#}
{% macro run_years_rows(relation, condition=none) -%}
    (select * from {{ relation }} where {{ '(' ~ condition ~ ') and ' if condition }}{{ in_run_years('year') }})
{%- endmacro %}
