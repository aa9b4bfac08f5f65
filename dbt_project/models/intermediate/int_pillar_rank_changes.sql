-- Year over year for pillars, as int_rank_changes for totals: the rank the unit had in the
-- pillar of the same code the previous year, in the same evaluator, unit_type and peer
-- group, or its restated rank where the lineage changed the group; positive = moved up.
{{ with_rank_change(ref('int_pillar_scores'), ref('int_restated_pillar_scores'),
                    peer_group_columns(['unit_code', 'pillar_code'])) }}
