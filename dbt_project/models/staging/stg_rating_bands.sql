select framework_code, band_order, label as rating, min_pct, min_criterion_pct
from {{ source('raw', 'rating_bands') }}
