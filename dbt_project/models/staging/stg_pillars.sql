select
    p.framework_code,
    p.pillar_order,
    p.pillar_code,
    p.pillar_name,
    m.criterion_code
from {{ source('raw', 'pillars') }} as p
inner join {{ source('raw', 'pillar_criteria') }} as m
    on m.framework_code = p.framework_code and m.pillar_code = p.pillar_code
