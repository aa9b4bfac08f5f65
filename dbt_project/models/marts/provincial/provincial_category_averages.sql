-- The provinces' twin of national_category_averages: the average index of each criterion
-- (every level, and `overall`) over a province's peer group, and its change.
with averages as (
    select * from {{ ref('int_category_averages') }}
    where evaluator <> 'national'
)

select
    a.year,
    a.evaluator as province_code,
    a.unit_type,
    a.peer_group,
    a.criterion_code,
    a.criterion_name,
    a.parent_criterion_code,
    a.level,
    {{ divide_exact('a.index_numerator', 'a.index_denominator', 4) }} as avg_index,
    {{ divide_exact('p.index_numerator', 'p.index_denominator', 4) }} as avg_index_prev,
    -- the exact difference of the two fractions, rounded once (see national_category_averages)
    {{ divide_exact(
        'a.index_numerator * p.index_denominator - p.index_numerator * a.index_denominator',
        'a.index_denominator * p.index_denominator', 4) }} as change,
    a.unit_count
from averages as a
left join averages as p
    on p.year = a.year - 1 and p.evaluator = a.evaluator and p.unit_type = a.unit_type
    and p.peer_group = a.peer_group and p.criterion_code = a.criterion_code
order by a.year, a.evaluator, a.unit_type, a.peer_group, a.criterion_order
