{{ evaluator_mart(ref('int_criterion_highlights'), 'national', 'unit_type, peer_group, criterion_order') }}
