-- Pillars of the national frameworks (the DTI's chính quyền số, kinh tế số, xã hội số).
{{ evaluator_mart(ref('int_pillar_rank_changes'), 'national',
                  'unit_type, peer_group, pillar_order, rank nulls last, unit_code') }}
