{#- Layers live in schemas named after them (staging, intermediate, marts) rather than
    dbt's default <target>_<custom> concatenation: BI tools read `marts.*`. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ custom_schema_name | trim if custom_schema_name else target.schema }}
{%- endmacro %}
