-- sqlfluff:exclude_rules:LT02
-- (sqlfluff would pull the Jinja loop below out to column 0: it stays indented as the columns it makes)
-- What the publications say about each criterion of a peer group (Hưng Yên 2018: "đơn vị
-- đạt điểm cao nhất là Sở Tư pháp (95 điểm), tiếp đến là ... Đơn vị có điểm thấp nhất
-- là ..."; "có 6 đơn vị đạt điểm tối đa"; "10 đơn vị ... 0 điểm"): the best, second and
-- worst score among the units for which the criterion is applicable, ranked or not.
-- Places are distinct scores, so units with equal scores share a place and are listed
-- together ("đơn vị đạt điểm cao nhất gồm các đơn vị: ..."). Unit lists follow the
-- overall rank (unranked units last), then unit_code, separated by ' | ' (macro
-- list_separator: names hold ', '), as many names as the count beside them.
with criteria as (
    select * from {{ ref('int_criterion_scores') }}
),

units as (
    select * from {{ ref('int_evaluated_units') }}
),

ranks as (
    select year, unit_code, rank from {{ ref('int_unit_ranks') }}
),

placed as (
    select
        c.year,
        c.evaluator,
        c.unit_type,
        c.peer_group,
        c.framework_code,
        c.level,
        c.criterion_code,
        c.criterion_name,
        c.criterion_order,
        c.max_applicable as max_score,
        c.applicable,
        c.score,
        c.unit_code,
        u.unit_name,
        r.rank,
        dense_rank() over (
            partition by c.year, c.evaluator, c.unit_type, c.peer_group, c.criterion_code, c.applicable
            order by c.score desc
        ) as place_from_top,
        dense_rank() over (
            partition by c.year, c.evaluator, c.unit_type, c.peer_group, c.criterion_code, c.applicable
            order by c.score
        ) as place_from_bottom
    from criteria as c
    inner join units as u
        on u.framework_code = c.framework_code and u.year = c.year and u.unit_code = c.unit_code
    left join ranks as r on r.year = c.year and r.unit_code = c.unit_code
),

{%- set in_list_order = "order by rank nulls last, unit_code" %}

highlights as (
    select
        year,
        evaluator,
        unit_type,
        peer_group,
        framework_code,
        criterion_code,
        min(level) as level,
        max(criterion_name) as criterion_name,
        min(criterion_order) as criterion_order,
        max(max_score) as max_score,
        count(case when applicable then 1 end) as unit_count,
        count(case when not applicable then 1 end) as not_applicable_count,
        sum(case when applicable then score end) as score_sum,
        sum(case when applicable then max_score end) as max_score_sum,
        {%- for place, condition in [
            ("best", "place_from_top = 1"),
            ("second", "place_from_top = 2"),
            ("worst", "place_from_bottom = 1"),
            ("max_reached", "score = max_score"),
            ("zero", "score = 0"),
        ] %}
        {%- set held = "applicable and " ~ condition %}
        {%- if place in ("best", "second", "worst") %}
        max(case when {{ held }} then score end) as {{ place }}_score,
        {%- endif %}
        count(case when {{ held }} then 1 end) as {{ place }}_unit_count,
        {{ dbt.listagg("case when " ~ held ~ " then unit_name end", list_separator(), in_list_order) }}
            as {{ place }}_units
        {{- "," if not loop.last }}
        {%- endfor %}
    from placed
    group by year, evaluator, unit_type, peer_group, framework_code, criterion_code
)

-- averages and indices (score / maximum) to the places the publications print
select
    *,
    {{ divide_exact('score_sum', 'unit_count', 2, operand_scale=6) }} as avg_score,
    {{ divide_exact('score_sum', 'max_score_sum', 4, operand_scale=6) }} as avg_index,
    {{ divide_exact('best_score', 'max_score', 4, operand_scale=6) }} as best_index,
    {{ divide_exact('second_score', 'max_score', 4, operand_scale=6) }} as second_index,
    {{ divide_exact('worst_score', 'max_score', 4, operand_scale=6) }} as worst_index
from highlights
