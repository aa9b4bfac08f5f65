with averages as (
    select * from {{ ref('int_category_averages') }}
    where evaluator = 'national'
)

select
    a.year,
    a.unit_type,
    a.peer_group,
    a.criterion_code,
    a.criterion_name,
    a.parent_criterion_code,
    a.level,
    {{ divide_exact('a.index_numerator', 'a.index_denominator', 4) }} as avg_index,
    {{ divide_exact('p.index_numerator', 'p.index_denominator', 4) }} as avg_index_prev,
    -- a_num / a_den − p_num / p_den over one denominator; numerators are DECIMAL(38, 12) and
    -- denominators DECIMAL(38, 6), so these products are 38 digits wide (room for 10^20,
    -- i.e. a criterion's maxima summed over a peer group up to 10^10 points), and their
    -- exact values carry at most 12 decimals (6 + 6, or 12-decimal indices × a count)
    {{ divide_exact(
        'a.index_numerator * p.index_denominator - p.index_numerator * a.index_denominator',
        'a.index_denominator * p.index_denominator', 4) }} as change,
    a.unit_count
from averages as a
left join averages as p
    on p.year = a.year - 1 and p.unit_type = a.unit_type and p.peer_group = a.peer_group
    and p.criterion_code = a.criterion_code
order by a.year, a.unit_type, a.peer_group, a.criterion_order
