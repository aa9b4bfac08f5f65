-- Indicator-level findings across the units of a peer group (Thanh Hóa 2016: "47/47 cơ
-- quan ... sử dụng", "26/47 cơ quan được đầu tư hệ thống một cửa điện tử", "43% cán bộ,
-- công chức cấp xã được trang bị máy tính"), as exact counts and sums, and the shares and
-- averages divided from them once (macro divide_exact).
-- A unit meets an indicator when it earns the indicator's full points (for a yes/no
-- indicator: it answered yes); a unit for which the indicator is N/A does not count in
-- the applicable units; a missing or held-back value is applicable and scores 0 (SPEC §4).
with statistics as (
    select
        {{ peer_group_keys('p') }},
        p.framework_code,
        p.criterion_code,
        max(c.criterion_name) as criterion_name,
        min(c.criterion_order) as criterion_order,
        p.indicator_code,
        max(i.indicator_name) as indicator_name,
        min(i.indicator_order) as indicator_order,
        max(p.rule_type) as rule_type,
        max(p.max_points) as max_points,
        count(*) as unit_count,
        count(case when p.value_status <> 'na' then 1 end) as applicable_count,
        count(case when p.value_status = 'number' then 1 end) as reported_count,
        count(case when p.value_status = 'na' then 1 end) as na_count,
        count(case when p.value_status = 'missing' then 1 end) as missing_count,
        count(case when p.value_status <> 'na' and p.max_points > 0 and p.points >= p.max_points then 1 end)
            as met_count,
        sum(case when p.value_status = 'number' then p.value end) as value_sum,
        min(case when p.value_status = 'number' then p.value end) as value_min,
        max(case when p.value_status = 'number' then p.value end) as value_max,
        sum(case when p.value_status <> 'na' then p.points end) as points_sum
    from {{ ref('int_indicator_points') }} as p
    inner join {{ ref('stg_indicators') }} as i
        on i.framework_code = p.framework_code and i.indicator_code = p.indicator_code
    inner join {{ ref('stg_criteria') }} as c
        on c.framework_code = p.framework_code and c.criterion_code = p.criterion_code
    group by {{ peer_group_keys('p') }}, p.framework_code, p.criterion_code, p.indicator_code
)

select
    *,
    {{ divide_exact('100 * met_count', 'applicable_count', 2) }} as met_pct,
    {{ divide_exact('value_sum', 'reported_count', 4, operand_scale=6) }} as value_avg,
    {{ divide_exact('points_sum', 'applicable_count', 4, operand_scale=6) }} as points_avg
from statistics
