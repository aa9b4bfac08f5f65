-- int_category_averages on the restated units (SPEC §4): the mean of the restated units'
-- indices, per criterion over the units it applies to, and overall. (As evaluated, a
-- criterion's average pools scores over maxima; the two agree where the maxima do, as in
-- the DTI; a restated unit has indices only.) Same columns as int_category_averages.
with units as (
    select * from {{ ref('int_restated_unit_scores') }}
),

criteria as (
    select * from {{ ref('int_restated_criterion_scores') }}
    where applicable
),

overall as (
    select
        year,
        evaluator,
        unit_type,
        peer_group,
        'overall' as criterion_code,
        'Chỉ số tổng thể' as criterion_name,
        0 as criterion_order,
        null as parent_criterion_code,
        0 as level,
        count(*) as unit_count,
        cast(sum(index_fine) as decimal(38, 12)) as index_numerator,
        cast(count(*) as decimal(38, 6)) as index_denominator
    from units
    where index_fine is not null
    group by year, evaluator, unit_type, peer_group
),

by_criterion as (
    select
        year,
        evaluator,
        unit_type,
        peer_group,
        criterion_code,
        max(criterion_name) as criterion_name,
        min(criterion_order) as criterion_order,
        max(parent_criterion_code) as parent_criterion_code,
        min(level) as level,
        count(*) as unit_count,
        cast(sum({{ divide_exact('index_sum', 'index_count', 12) }}) as decimal(38, 12)) as index_numerator,
        cast(count(*) as decimal(38, 6)) as index_denominator
    from criteria
    group by year, evaluator, unit_type, peer_group, criterion_code
)

select * from overall
union all
select * from by_criterion
