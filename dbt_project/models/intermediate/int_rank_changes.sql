-- Year over year (SPEC §4): the rank the same unit code had the previous year under the
-- same evaluator, unit_type and peer group, even if the framework changed, or its restated
-- rank where the lineage changed the group (macro with_rank_change); positive change =
-- moved up. A view over every year, so it is right whatever order years are materialised in.
{{ with_rank_change(ref('int_unit_ranks'), ref('int_restated_unit_scores'),
                    peer_group_columns(['unit_code'])) }}
