-- A restated unit's criterion indices at every level (SPEC §4): the unweighted mean of its
-- predecessors' indices (score / max_applicable) over those the criterion applies to; not
-- applicable when it applies to none. Each index is taken to 12 decimals before the mean
-- (the publications print 4), and the mean is kept as a sum and a count.
select
    {{ peer_group_keys('s', ['unit_code']) }},
    c.criterion_code,
    max(c.criterion_name) as criterion_name,
    min(c.criterion_order) as criterion_order,
    max(c.parent_criterion_code) as parent_criterion_code,
    min(c.level) as level,
    bool_or(c.applicable) as applicable,
    cast(sum(case
        when c.applicable then
            {{ divide_exact('c.score', 'c.max_applicable', 12, operand_scale=6) }}
    end) as decimal(38, 12)) as index_sum,
    count(case when c.applicable then 1 end) as index_count
from {{ ref('int_unit_successors') }} as s
inner join {{ ref('int_criterion_scores') }} as c on {{ of_predecessor('c', 's') }}
group by {{ peer_group_keys('s', ['unit_code']) }}, c.criterion_code
