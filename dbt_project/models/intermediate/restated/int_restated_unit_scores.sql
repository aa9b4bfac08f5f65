-- The year before a reorganisation restated on the units of the next year (SPEC §4): a
-- successor's index is the unweighted mean of its predecessors' (Đà Nẵng 2024 on the 34
-- provinces: (0.8335 + 0.5803) / 2 = 0.7069), each predecessor's taken to 12 decimals.
-- It is ranked when every predecessor was, among the restated units of its group, on the
-- exact mean (sum / count, compared by cross-multiplication; 1, 2, 2, 4). Its rating is
-- the first band that the mean and the means of the top-level criteria meet, as
-- int_unit_scores rates a unit, when its predecessors' frameworks have the same bands
-- (merged provinces rate their departments under different frameworks, often alike).
with criteria as (
    select * from {{ ref('int_restated_criterion_scores') }}
    where level = 1 and applicable
),

bands as (
    select * from {{ ref('stg_rating_bands') }}
),

-- a framework's bands as one value: frameworks with equal ones rate alike
band_sets as (
    select
        framework_code,
        string_agg(
            concat_ws('|', rating, min_pct, coalesce(cast(min_criterion_pct as varchar), '-')), chr(10)
            order by band_order
        ) as band_set
    from bands
    group by framework_code
),

means as (
    select
        {{ peer_group_keys('m', ['unit_code']) }},
        max(m.unit_name) as unit_name,
        case when count(distinct m.framework_code) = 1 then max(m.framework_code) end as framework_code,
        -- the framework whose bands rate the unit: any of its predecessors', if they have the same
        case when count(distinct b.band_set) = 1 and count(b.band_set) = count(*) then max(m.framework_code) end
            as band_framework_code,
        max(b.band_set) as band_set,
        string_agg(m.predecessor_code, {{ list_separator() }} order by m.predecessor_code) as predecessor_codes,
        count(*) as predecessor_count,
        -- null unless every predecessor has an index
        case when count(s.index_fine) = count(*) then cast(sum(s.index_fine) as decimal(38, 12)) end as index_sum,
        -- the predecessors not ranked, and those without an index (no applicable criterion),
        -- named in quotes (names hold ', ') for the reason
        string_agg(
            case when not s.ranked then '“' || coalesce(e.unit_name, m.predecessor_code) || '”' end, ', '
            order by m.predecessor_code
        ) as unranked_predecessors,
        string_agg(
            case when s.index_fine is null then '“' || coalesce(e.unit_name, m.predecessor_code) || '”' end, ', '
            order by m.predecessor_code
        ) as unscored_predecessors
    from {{ ref('int_unit_successors') }} as m
    inner join {{ ref('int_unit_scores') }} as s on {{ of_predecessor('s', 'm') }}
    -- the predecessors' names valid the year restated, for the reason a successor is not ranked
    left join {{ ref('int_evaluated_units') }} as e on {{ of_predecessor('e', 'm') }}
    left join band_sets as b on b.framework_code = m.framework_code
    group by {{ peer_group_keys('m', ['unit_code']) }}
),

ranked as (
    select *, index_sum is not null and unranked_predecessors is null as ranked
    from means
),

ranks as (
    {{ with_competition_rank('ranked', peer_group_columns(),
                             'index_sum', 'predecessor_count', 'decimal(38, 12)') }}
),

-- bands whose per-criterion floor some applicable restated criterion misses
floor_misses as (
    select distinct {{ peer_group_keys('r', ['unit_code']) }}, b.band_order
    from ranked as r
    inner join bands as b on b.framework_code = r.band_framework_code
    inner join criteria as c on {{ same_peer_group('c', 'r', ['unit_code']) }}
    where
        b.min_criterion_pct is not null
        and c.index_sum * 100 < cast(b.min_criterion_pct as decimal(38, 4)) * c.index_count
),

bands_met as (
    select
        {{ peer_group_keys('r', ['unit_code']) }},
        b.rating,
        row_number() over (
            partition by {{ peer_group_keys('r', ['unit_code']) }} order by b.band_order
        ) as preference
    from ranked as r
    inner join bands as b on b.framework_code = r.band_framework_code
    left join floor_misses as f
        on {{ same_peer_group('f', 'r', ['unit_code']) }} and f.band_order = b.band_order
    where
        r.ranked
        and r.index_sum * 100 >= cast(b.min_pct as decimal(38, 4)) * r.predecessor_count
        and f.band_order is null
)

select
    {{ peer_group_keys('r', ['unit_code']) }},
    r.unit_name,
    r.framework_code,
    r.band_framework_code,
    r.band_set,
    r.predecessor_codes,
    r.predecessor_count,
    {{ unit_indices('r.index_sum', 'r.predecessor_count') }},
    b.rating,
    r.ranked,
    case
        when r.index_sum is null then 'predecessor_nothing_applicable'
        when not r.ranked then 'predecessor_not_ranked'
    end as not_ranked_code,
    case
        when r.index_sum is null
            then 'có đơn vị trước sắp xếp không có tiêu chí nào được áp dụng: ' || r.unscored_predecessors
        when not r.ranked then 'có đơn vị trước sắp xếp không được xếp hạng: ' || r.unranked_predecessors
    end as not_ranked_reason,
    r.rank
from ranks as r
left join bands_met as b on {{ same_peer_group('b', 'r', ['unit_code']) }} and b.preference = 1
