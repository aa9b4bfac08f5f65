{{ evaluator_mart(ref('int_indicator_statistics'), 'provincial',
                  'unit_type, peer_group, criterion_order, indicator_order') }}
