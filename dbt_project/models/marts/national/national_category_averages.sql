{{ evaluator_mart(ref('int_category_average_changes'), 'national', 'unit_type, peer_group, criterion_order') }}
