select framework_code, year
from {{ source('raw', 'framework_years') }}
