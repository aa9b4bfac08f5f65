{#-
  A national mart or its provincial twin: the rows of `relation` that the Ministry
  evaluates (scope 'national') or that a province evaluates (scope 'provincial'), ordered
  by year, evaluator, then `order_by`. Its columns are those the mart's YAML documents, in
  that order: the published columns (SPEC §5) are declared once, beside their descriptions,
  and the twins differ only there. Each is `relation`'s column of that name, except those
  every mart derives alike: province_code and province_name (the evaluator and its name),
  unit_type_label (macro unit_type_label) and period_start (macro period_start).
-#}
{% macro evaluator_mart(relation, scope, order_by) -%}
    {%- if scope not in ('national', 'provincial') -%}
        {{ exceptions.raise_compiler_error("evaluator_mart: scope is 'national' or 'provincial', not " ~ scope) }}
    {%- endif -%}
    {%- set derived = {
        'province_code': 'evaluator',
        'province_name': 'evaluator_name',
        'unit_type_label': unit_type_label('unit_type'),
        'period_start': period_start('year'),
    } -%}
    select
        {%- for column in model.columns %}
        {{ derived[column] ~ ' as ' if column in derived }}{{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ relation }}
    where evaluator {{ '=' if scope == 'national' else '<>' }} 'national'
    order by year, evaluator, {{ order_by }}
{%- endmacro %}
