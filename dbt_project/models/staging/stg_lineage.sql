-- Who carries on whom from `year` on (SPEC §3.1); ingestion checked every row against
-- the registry (the predecessor valid the year before, the successor that year).
select
    predecessor_code,
    successor_code,
    year,
    source_file,
    row_number
from {{ source('raw', 'lineage') }}
