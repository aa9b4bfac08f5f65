-- Every criterion at every level; index = score / max_applicable (SPEC §4), 4 decimals.
{{ evaluator_mart(ref('int_criterion_indices'), 'provincial', 'unit_type, unit_code, criterion_order') }}
