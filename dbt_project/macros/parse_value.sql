{#-
  Submission values as units write them (SPEC §3.3), read in staging.

  A number is read one way per file. Each value has two readings: with `.` as the decimal
  mark (`,` grouping thousands: `1,234.5`) and with `,` as the decimal mark (`.` grouping:
  `1.234,5`, `417,30`). A value with only one reading (`62.3`, `4,5`, `1.234.567`, `0,725`)
  is evidence of its file's convention; one whose readings agree (`105`) needs none; one
  whose readings differ (`1.234`, `281.538`) takes the file's convention: the mark most of
  its deciding values use. A value is held back (status `ambiguous`, with both readings in
  the reason) when the file has no convention to decide it, when it breaks its file's
  convention, or when it reads two ways in a file whose values show both conventions. Numeric spreadsheet cells (value_type `number`) are numbers
  already, written with a decimal point, and no evidence about the file's text.

  Numbers take at most 6 decimals and 32 integer digits (larger ones are not numbers); a sign and a trailing `%` are
  kept apart (a percentage is read by the indicator's unit, later). Booleans: có / yes /
  true / đạt are 1, không / no / false / không đạt are 0.
-#}

{#- The text lowered and trimmed, without spaces (also no-break ones). -#}
{% macro value_compact(text) -%}
    regexp_replace(lower(trim({{ text }})), '[\s\x{00a0}]', '', 'g')
{%- endmacro %}

{#- 1 or 0 for a yes/no word, else null. -#}
{% macro boolean_word(compact) -%}
    case
        when {{ compact }} in ('có', 'co', 'yes', 'true', 'đạt') then cast(1 as decimal(38, 6))
        when {{ compact }} in ('không', 'khong', 'no', 'false', 'khôngđạt') then cast(0 as decimal(38, 6))
    end
{%- endmacro %}

{#- The reading of a compact number text (no `%`) with `.` as the decimal mark, or null. -#}
{% macro reading_point(n) -%}
    case
        when regexp_full_match({{ n }}, '[-+]?([0-9]+|[1-9][0-9]{0,2}(,[0-9]{3})+)(\.[0-9]{1,6})?')
            then try_cast(replace({{ n }}, ',', '') as decimal(38, 6))
    end
{%- endmacro %}

{#- The reading with `,` as the decimal mark, or null. -#}
{% macro reading_comma(n) -%}
    case
        when regexp_full_match({{ n }}, '[-+]?([0-9]+|[1-9][0-9]{0,2}(\.[0-9]{3})+)(,[0-9]{1,6})?')
            then try_cast(replace(replace({{ n }}, '.', ''), ',', '.') as decimal(38, 6))
    end
{%- endmacro %}

{#- Not applicable: N/A, NA, KAD, không áp dụng. -#}
{% macro is_not_applicable(trimmed) -%}
    (upper({{ trimmed }}) in ('N/A', 'NA', 'KAD') or lower({{ trimmed }}) = 'không áp dụng')
{%- endmacro %}

{#- A DECIMAL as people write it in a message: 6.000000 → 6, 6.500000 → 6.5. -#}
{% macro decimal_text(value) -%}
    rtrim(rtrim(cast({{ value }} as varchar), '0'), '.')
{%- endmacro %}

{#- A stage as written, for matching its spellings: lower case (Vietnamese letters too),
    runs of spaces and underscores as one space (`Tự  đánh giá`, `tu_danh_gia` aside). -#}
{% macro stage_name(text) -%}
    regexp_replace(lower(trim({{ text }})), '[\s\x{00a0}_]+', ' ', 'g')
{%- endmacro %}
