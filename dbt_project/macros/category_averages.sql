{#-
  Average index per criterion (every level) and overall over the units of each peer group,
  as an exact fraction: index_numerator DECIMAL(38, 12) over index_denominator
  DECIMAL(38, 6), so that consumers round it, and its change, once. The overall average is
  the mean of the units' index_fine over `units` (the units with an index); a criterion's
  is criterion_numerator / criterion_denominator, aggregates over `criteria` (the rows of
  the units for which it is applicable).
-#}
{% macro category_averages(units, criteria, criterion_numerator, criterion_denominator) -%}
    select
        {{ peer_group_keys() }},
        'overall' as criterion_code,
        'Chỉ số tổng thể' as criterion_name,
        0 as criterion_order,
        null as parent_criterion_code,
        0 as level,
        count(*) as unit_count,
        cast(sum(index_fine) as decimal(38, 12)) as index_numerator,
        cast(count(*) as decimal(38, 6)) as index_denominator
    from {{ units }}
    group by {{ peer_group_keys() }}
    union all
    select
        {{ peer_group_keys() }},
        criterion_code,
        max(criterion_name) as criterion_name,
        min(criterion_order) as criterion_order,
        max(parent_criterion_code) as parent_criterion_code,
        min(level) as level,
        count(*) as unit_count,
        cast({{ criterion_numerator }} as decimal(38, 12)) as index_numerator,
        cast({{ criterion_denominator }} as decimal(38, 6)) as index_denominator
    from {{ criteria }}
    group by {{ peer_group_keys(extra=['criterion_code']) }}
{%- endmacro %}
