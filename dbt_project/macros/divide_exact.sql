{#-
  numerator / denominator rounded half up to `scale` decimals, exactly.

  DuckDB divides DECIMALs in DOUBLE (105/150 * 100 is not exactly 70 there), so the
  DuckDB version scales both operands to integers and divides those. Operands carry at
  most 12 decimals (sums and products of our DECIMAL(18,6) values); halves round away
  from zero; a zero denominator gives null.
-#}
{% macro divide_exact(numerator, denominator, scale) -%}
    {{ return(adapter.dispatch('divide_exact')(numerator, denominator, scale)) }}
{%- endmacro %}

{% macro default__divide_exact(numerator, denominator, scale) -%}
    cast(round(({{ numerator }}) / nullif({{ denominator }}, 0), {{ scale }}) as decimal(38, {{ scale }}))
{%- endmacro %}

{% macro duckdb__divide_exact(numerator, denominator, scale) -%}
    {%- set n = "cast((" ~ numerator ~ ") * 1000000000000 as hugeint)" -%}
    {%- set d = "cast((" ~ denominator ~ ") * 1000000000000 as hugeint)" -%}
    cast(
        cast(
            case when {{ n }} < 0 then -1 else 1 end
            * ((abs({{ n }}) * {{ 2 * 10 ** scale }} + abs({{ d }})) // nullif(2 * abs({{ d }}), 0))
            * case when {{ d }} < 0 then -1 else 1 end
        as decimal(38, 0)) * {{ '0.' ~ '0' * (scale - 1) ~ '1' }}
    as decimal(38, {{ scale }}))
{%- endmacro %}
