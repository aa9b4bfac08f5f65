{{ evaluator_mart(ref('int_rankings'), 'national', 'unit_type, peer_group, rank nulls last, unit_code') }}
