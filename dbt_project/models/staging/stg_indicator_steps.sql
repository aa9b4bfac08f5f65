select framework_code, indicator_code, threshold, points
from {{ source('raw', 'indicator_steps') }}
