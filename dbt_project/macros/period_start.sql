{#- January 1 of a year, as a DATE: the marts' `period_start`, for BI tools' time axes (an
    integer year charts with ticks at 2018.2, 2018.4). -#}
{% macro period_start(year) -%}
    cast(cast({{ year }} as varchar) || '-01-01' as date)
{%- endmacro %}
