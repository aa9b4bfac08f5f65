{#-
  Submission values as units write them (SPEC §3.3), typed in staging.

  value_status: 'missing' (empty), 'na' (N/A, KAD, không áp dụng), 'number', or
  'invalid' (text that is none of these, or a number with more than 6 decimals).
  Numbers: `62.3`, `417,30` (decimal comma), `1.234,5` / `1.234.567` (dot thousands),
  `1,234.5` (comma thousands), spaces inside (`4, 72`), a trailing `%`, a sign.
  A single dot is a decimal point (`1.250` is 1.25): a lone dot-group is ambiguous, and
  the international reading is the one that keeps ratios like 0.43 intact.
  Booleans: có / yes / true / đạt are 1, không / no / false / không đạt are 0.
-#}
{#- The text lowered and trimmed, without spaces (also no-break) and `%`. -#}
{% macro value_cleaned(text) -%}
    regexp_replace(lower(trim({{ text }})), '[\s\x{00a0}%]', '', 'g')
{%- endmacro %}

{#- The number in a value_cleaned() text, or null. -#}
{% macro parse_cleaned(v) -%}
    case
        when {{ v }} in ('có', 'co', 'yes', 'true', 'đạt') then cast(1 as decimal(18, 6))
        when {{ v }} in ('không', 'khong', 'no', 'false', 'khôngđạt') then cast(0 as decimal(18, 6))
        when regexp_full_match({{ v }}, '[-+]?[0-9]+(\.[0-9]{1,6})?')
            then cast({{ v }} as decimal(18, 6))
        when regexp_full_match({{ v }}, '[-+]?[0-9]+,[0-9]{1,6}')
            then cast(replace({{ v }}, ',', '.') as decimal(18, 6))
        when regexp_full_match({{ v }}, '[-+]?[0-9]{1,3}(\.[0-9]{3})+(,[0-9]{1,6})?')
            then cast(replace(replace({{ v }}, '.', ''), ',', '.') as decimal(18, 6))
        when regexp_full_match({{ v }}, '[-+]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]{1,6})?')
            then cast(replace({{ v }}, ',', '') as decimal(18, 6))
    end
{%- endmacro %}

{#- The status of a value, from its trimmed text and its parse_cleaned() number. -#}
{% macro value_status(trimmed, value) -%}
    case
        when nullif({{ trimmed }}, '') is null then 'missing'
        when upper({{ trimmed }}) in ('N/A', 'NA', 'KAD') or lower({{ trimmed }}) = 'không áp dụng' then 'na'
        when {{ value }} is not null then 'number'
        else 'invalid'
    end
{%- endmacro %}

{#- A DECIMAL as people write it in a message: 6.000000 → 6, 6.500000 → 6.5. -#}
{% macro decimal_text(value) -%}
    rtrim(rtrim(cast({{ value }} as varchar), '0'), '.')
{%- endmacro %}
