-- The provinces' twin of national_category_averages: the average index of each criterion
-- (every level, and `overall`) over a province's peer group, and its change.
{{ evaluator_mart(ref('int_category_average_changes'), 'provincial', 'unit_type, peer_group, criterion_order') }}
