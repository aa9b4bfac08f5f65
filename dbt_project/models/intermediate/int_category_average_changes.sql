-- The average index of each criterion (every level, and `overall`) over a peer group and
-- its change from the year before, as evaluated or restated where the lineage changed the
-- group (macro year_before): the national and provincial averages marts select from here.
with averages as (
    select * from {{ ref('int_category_averages') }}
),

previous as (
    {{ year_before(ref('int_category_averages'), ref('int_restated_category_averages'),
                   peer_group_columns(['criterion_code', 'index_numerator', 'index_denominator'])) }}
)

select
    {{ peer_group_keys('a') }},
    a.criterion_code,
    a.criterion_name,
    a.criterion_order,
    a.parent_criterion_code,
    a.level,
    {{ divide_exact('a.index_numerator', 'a.index_denominator', 4) }} as avg_index,
    {{ divide_exact('p.index_numerator', 'p.index_denominator', 4) }} as avg_index_prev,
    -- numerators are DECIMAL(38, 12) and denominators DECIMAL(38, 6), so the products of
    -- ratio_change are 38 digits wide (room for 10^20, i.e. a criterion's maxima summed over
    -- a peer group up to 10^10 points), and their exact values carry at most 12 decimals
    -- (6 + 6, or 12-decimal indices × a count)
    {{ ratio_change('a.index_numerator', 'a.index_denominator', 'p.index_numerator', 'p.index_denominator', 4) }}
        as change,
    p.restated as prev_restated,
    a.unit_count
from averages as a
left join previous as p
    on p.year = a.year - 1 and p.evaluator = a.evaluator and p.unit_type = a.unit_type
    and p.peer_group = a.peer_group and p.criterion_code = a.criterion_code
