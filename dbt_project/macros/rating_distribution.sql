{#-
  Units per rating in each group of `groups` (a CTE with year, evaluator, unit_type,
  peer_group, framework_code, whose rating bands apply, and group_units): a row for every
  band of that framework, with 0 units if none, so a share's change is always defined, and
  a row of the units not ranked (var not_ranked_label) when the group has some. `units`
  holds the units with rating and ranked; `in_group` is the condition that unit `u` is one
  of group `g`'s.
-#}
{% macro rating_distribution(groups, units, in_group) -%}
    select
        {{ peer_group_keys('g') }},
        g.rating,
        g.band_order,
        g.group_units,
        count(u.unit_code) as unit_count
    from (
        select g.*, b.rating, b.band_order
        from {{ groups }} as g
        inner join {{ ref('stg_rating_bands') }} as b on b.framework_code = g.framework_code
        union all
        select g.*, {{ label_literal(var("not_ranked_label")) }} as rating, 999 as band_order
        from {{ groups }} as g
        where exists (select 1 from {{ units }} as u where {{ in_group }} and not u.ranked)
    ) as g
    left join {{ units }} as u
        on {{ in_group }}
        and {{ rating_label('u.rating', 'u.ranked') }} = g.rating
    group by {{ peer_group_keys('g', ['rating', 'band_order', 'group_units']) }}
{%- endmacro %}
