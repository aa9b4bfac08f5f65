with averages as (
    select * from {{ ref('int_category_averages') }}
    where evaluator = 'national'
)

select
    a.year,
    a.unit_type,
    a.criterion_code,
    a.criterion_name,
    {{ divide_exact('a.index_numerator', 'a.index_denominator', 4) }} as avg_index,
    {{ divide_exact('p.index_numerator', 'p.index_denominator', 4) }} as avg_index_prev,
    {{ divide_exact(
        'a.index_numerator * p.index_denominator - p.index_numerator * a.index_denominator',
        'a.index_denominator * p.index_denominator', 4) }} as change,
    a.unit_count
from averages as a
left join averages as p
    on p.year = a.year - 1 and p.unit_type = a.unit_type and p.criterion_code = a.criterion_code
order by a.year, a.unit_type, a.criterion_order
