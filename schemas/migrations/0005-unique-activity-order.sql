-- 0005: activity orders are unique per phase. A partial sync that kept a refused
-- activity could move another one onto its order (two activities at order 2).
--
-- First the duplicates already there are brought into line, the way sync now keeps a
-- refused activity: within a phase, by (activity_order, activity_id), each activity
-- takes the larger of its own order and one more than the activity before it. The
-- older of two rows keeps its place, the ones after it shift, gaps elsewhere stay, and
-- a phase without duplicates is not written at all.
--   new order = row number + the running maximum of (activity_order - row number)

UPDATE workflow_activities a
   SET activity_order = r.new_order, updated_at = CURRENT_TIMESTAMP
  FROM (SELECT n.activity_id, n.activity_order,
               n.rn + max(n.activity_order - n.rn) OVER (PARTITION BY n.phase_id ORDER BY n.activity_order, n.activity_id
                                                       ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS new_order
          FROM (SELECT activity_id, phase_id, activity_order,
                       row_number() OVER (PARTITION BY phase_id ORDER BY activity_order, activity_id) AS rn
                  FROM workflow_activities) AS n) AS r
 WHERE a.activity_id = r.activity_id AND r.new_order <> r.activity_order;

-- DEFERRABLE (checked at the end of each statement, INITIALLY IMMEDIATE): a plain UNIQUE
-- is checked row by row, so sync's single UPDATE that swaps two orders would fail
-- half-way. The unique index serves the lookups of the old (phase_id, activity_order)
-- index, which goes.
ALTER TABLE workflow_activities
    ADD CONSTRAINT workflow_activities_phase_order_key UNIQUE (phase_id, activity_order) DEFERRABLE INITIALLY IMMEDIATE;

DROP INDEX workflow_activities_phase_idx;
