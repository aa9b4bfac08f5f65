{#-
  Exact decimal division. DuckDB divides DECIMALs in DOUBLE (105/150 * 100 is not exactly
  70 there), and a DECIMAL product keeps at most 38 digits, so the DuckDB versions below
  turn the operands into integers (HUGEINT, 128 bits) and divide those by long division,
  so that no intermediate value grows past the operands times 10^8.
  Halves round away from zero; a zero denominator gives null. Past the bounds below DuckDB
  stops with an overflow or conversion error: never a wrong number.

  divide_exact(numerator, denominator, scale, operand_scale=12)
      numerator / denominator to `scale` decimals, as DECIMAL(38, scale).
      Both operands are read as DECIMAL(38, operand_scale), so they must not carry more
      decimals than that (the cast would round them); pass operand_scale=6 for scores and
      values (6 decimals), which may then reach 10^32 instead of 10^26.
      Bounds: |numerator| < 10^(38 - operand_scale)            (10^32 at 6, 10^26 at 12)
              |denominator| < 1.7 · 10^(32 - operand_scale)   (10^26 at 6, 10^20 at 12)
              |quotient| < 10^(38 - scale)

  multiply_divide_exact(factor, numerator, denominator, scale, operand_scale=6)
      factor × numerator / denominator to `scale` decimals, without forming the product:
      max_points × value reaches 10^32 with 10 decimals, more than any 128-bit type holds.
      The factor must have at most `scale` decimals (max_points has 4, points keep 4).
      Bounds: |factor| < 10^(16 - scale)                        (10^12 at 4)
              |numerator| + |denominator| < 8 · 10^(29 - operand_scale)   (8 · 10^23 at 6)
-#}
{% macro divide_exact(numerator, denominator, scale, operand_scale=12) -%}
    {{ return(adapter.dispatch('divide_exact')(numerator, denominator, scale, operand_scale)) }}
{%- endmacro %}

{% macro default__divide_exact(numerator, denominator, scale, operand_scale=12) -%}
    cast(round(({{ numerator }}) / nullif({{ denominator }}, 0), {{ scale }}) as decimal(38, {{ scale }}))
{%- endmacro %}

{% macro duckdb__divide_exact(numerator, denominator, scale, operand_scale=12) -%}
    {#- n / d = N / D, with N = n · 10^k and D = d · 10^k integers -#}
    {%- set n = exact_unscaled(numerator, operand_scale) -%}
    {%- set d = exact_unscaled(denominator, operand_scale) -%}
    {{ exact_integer_as_decimal(
        'sign(' ~ n ~ ') * sign(' ~ d ~ ') * '
        ~ exact_rounded_quotient('abs(' ~ n ~ ')', 'abs(nullif(' ~ d ~ ', 0))', scale),
        scale) }}
{%- endmacro %}

{% macro multiply_divide_exact(factor, numerator, denominator, scale, operand_scale=6) -%}
    {{ return(adapter.dispatch('multiply_divide_exact')(factor, numerator, denominator, scale, operand_scale)) }}
{%- endmacro %}

{% macro default__multiply_divide_exact(factor, numerator, denominator, scale, operand_scale=6) -%}
    cast(round(({{ factor }}) * ({{ numerator }}) / nullif({{ denominator }}, 0), {{ scale }}) as decimal(38, {{ scale }}))
{%- endmacro %}

{% macro duckdb__multiply_divide_exact(factor, numerator, denominator, scale, operand_scale=6) -%}
    {#- f · n / d · 10^scale = A · B / C, with A = f · 10^scale, B = n · 10^k, C = d · 10^k -#}
    {%- set a = exact_unscaled(factor, scale) -%}
    {%- set b = exact_unscaled(numerator, operand_scale) -%}
    {%- set c = exact_unscaled(denominator, operand_scale) -%}
    {{ exact_integer_as_decimal(
        'sign(' ~ a ~ ') * sign(' ~ b ~ ') * sign(' ~ c ~ ') * '
        ~ exact_rounded_product_quotient('abs(' ~ a ~ ')', 'abs(' ~ b ~ ')', 'abs(nullif(' ~ c ~ ', 0))'),
        scale) }}
{%- endmacro %}


{#- ---- the integer steps (DuckDB); DuckDB computes a repeated subexpression once ------- -#}

{#- x · 10^k as a HUGEINT, x read as DECIMAL(38, k). Not computed as a DECIMAL, whose
    38 digits keep only 38 - k before the point: the integer part (trunc) is scaled as
    a HUGEINT, the fraction (< 1) as a DECIMAL. -#}
{% macro exact_unscaled(x, k) -%}
    {%- set v = "cast((" ~ x ~ ") as decimal(38, " ~ k ~ "))" -%}
    (cast(trunc({{ v }}) as hugeint) * {{ 10 ** k }} + cast(({{ v }} - trunc({{ v }})) * {{ 10 ** k }} as hugeint))
{%- endmacro %}

{#- round_half_up(n · 10^digits / d) for integers n >= 0, d > 0 (null if d is null), by
    long division: q = n // d with remainder r, then the digits after the point at most six
    at a time (r < d, so the one product, r · 10^6, stays under d · 10^6), and the last
    remainder rounds: up when it is at least half of d. Remainders are t - q · d, which
    costs a product instead of a second division. -#}
{% macro exact_rounded_quotient(n, d, digits) -%}
    {%- set step = namespace(q="(" ~ n ~ ") // " ~ d) -%}
    {%- set step.r = "(" ~ n ~ ") - (" ~ step.q ~ ") * " ~ d -%}
    {%- set chunks = [6] * (digits // 6) + ([digits % 6] if digits % 6 else []) -%}
    {%- for j in chunks -%}
        {%- set t = "(" ~ step.r ~ ") * " ~ 10 ** j -%}
        {%- set digit = "(" ~ t ~ ") // " ~ d -%}
        {%- set step.q = "(" ~ step.q ~ ") * " ~ 10 ** j ~ " + " ~ digit -%}
        {%- set step.r = t ~ " - (" ~ digit ~ ") * " ~ d -%}
    {%- endfor -%}
    ({{ step.q }} + case when {{ step.r }} >= {{ d }} - ({{ step.r }}) then 1 else 0 end)
{%- endmacro %}

{#- round_half_up(a · b / c) for integers a, b >= 0, c > 0, without forming a · b: with
    a = ah · 10^8 + al and ah · b = q1 · c + r1,
        a · b / c = q1 · 10^8 + y / c,   y = r1 · 10^8 + al · b   (r1 < c, al < 10^8),
    and y / c rounds as (2y + c) // (2c): every product stays under 10^8 · (b + c). -#}
{% macro exact_rounded_product_quotient(a, b, c) -%}
    {%- set x = "((" ~ a ~ ") // 100000000) * " ~ b -%}
    {%- set q1 = "(" ~ x ~ ") // " ~ c -%}
    {%- set y = "((" ~ x ~ ") - (" ~ q1 ~ ") * " ~ c ~ ") * 100000000 + ((" ~ a ~ ") % 100000000) * " ~ b -%}
    (({{ q1 }}) * 100000000 + (2 * ({{ y }}) + {{ c }}) // (2 * {{ c }}))
{%- endmacro %}

{#- an integer i (HUGEINT) as the DECIMAL(38, scale) i / 10^scale -#}
{% macro exact_integer_as_decimal(i, scale) -%}
    {%- if scale == 0 -%}
    cast({{ i }} as decimal(38, 0))
    {%- else -%}
    cast(cast({{ i }} as decimal(38, 0)) * {{ '0.' ~ '0' * (scale - 1) ~ '1' }} as decimal(38, {{ scale }}))
    {%- endif -%}
{%- endmacro %}

{#- The change of a ratio, numerator / denominator against prev_numerator /
    prev_denominator, exactly over one denominator, to `scale` decimals (divide_exact): a
    change of rounded ratios would be off by a rounding. The products must stay within
    divide_exact's bounds. -#}
{% macro ratio_change(numerator, denominator, prev_numerator, prev_denominator, scale) -%}
    {{ divide_exact(
        '(' ~ numerator ~ ') * ' ~ prev_denominator ~ ' - (' ~ prev_numerator ~ ') * ' ~ denominator,
        denominator ~ ' * ' ~ prev_denominator, scale) }}
{%- endmacro %}
