{{ evaluator_mart(ref('int_criterion_highlights'), 'provincial', 'unit_type, peer_group, criterion_order') }}
