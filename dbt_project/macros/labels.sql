{#- The marts' display labels and lists, each defined once (README "Outputs"). -#}

{#- A ranking row's rating as a BI tool and the reports show it, never null: the band; the
    var not_ranked_label (the label of the rating distribution's row of units not ranked)
    for a unit scored but not ranked; the var not_rated_label for a ranked unit that no
    band rates (a framework without bands, the DTI's; restated predecessors under different
    bands). `rating` itself stays null for both (SPEC §4). -#}
{% macro rating_label(rating, ranked) -%}
    case
        when not {{ ranked }} then {{ label_literal(var("not_ranked_label")) }}
        else coalesce({{ rating }}, {{ label_literal(var("not_rated_label")) }})
    end
{%- endmacro %}

{#- The Vietnamese name of a unit_type, as the publications head their groups (the var
    unit_type_labels); null for a type it does not name, which the marts' not_null tests
    refuse. -#}
{% macro unit_type_label(unit_type) -%}
    case {{ unit_type }}
        {%- for type, label in var("unit_type_labels").items() %}
        when {{ label_literal(type) }} then {{ label_literal(label) }}
        {%- endfor %}
    end
{%- endmacro %}

{#- The separator of every list of names or codes in one text column (the highlights'
    `*_units`, restated_ranking's `predecessor_codes`), as a SQL literal: ' | '. No name can
    hold it: the registry loader refuses a unit_name with '|', and codes are letters,
    digits, '.', '_' and '-'. Splitting a value on ' | ' gives the count column beside it. -#}
{% macro list_separator() -%}
    ' | '
{%- endmacro %}

{% macro label_literal(text) -%}
    '{{ text | replace("'", "''") }}'
{%- endmacro %}
