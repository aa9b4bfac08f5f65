-- Pillars of the provinces' frameworks.
{{ evaluator_mart(ref('int_pillar_rank_changes'), 'provincial',
                  'unit_type, peer_group, pillar_order, rank nulls last, unit_code') }}
