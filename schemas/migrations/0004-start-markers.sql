-- 0004: START activities are markers, not work. Starting a phase now completes its START
-- activity in the same transaction; before, a phase could be IN_PROGRESS (or COMPLETED
-- after a reopen) with its START activity NOT_STARTED or IN_PROGRESS, and every other
-- activity of the phase was refused until someone moved the marker by hand.
--
-- This brings those START activities into line: COMPLETED, with one history row each
-- (source 'migration', no acting user, the reason below), so the history still replays
-- to the current state, and the phase's progress recounted. Nothing else changes; a
-- database without such rows is left untouched.

CREATE TEMPORARY TABLE workflow_phases_0004_markers ON COMMIT DROP AS
SELECT a.activity_id, a.activity_name, a.status AS from_status,
       p.phase_id, p.phase_name, p.cycle_id, p.report_id,
       (clock_timestamp() AT TIME ZONE 'UTC') AS at
  FROM workflow_activities a
  JOIN workflow_phases p ON p.phase_id = a.phase_id
 WHERE a.activity_type = 'START'
   AND a.status IN ('NOT_STARTED', 'IN_PROGRESS')
   AND p.status IN ('IN_PROGRESS', 'COMPLETED');

UPDATE workflow_activities a
   SET status = 'COMPLETED', completed_at = m.at, completed_by = NULL, updated_at = m.at, updated_by = NULL
  FROM workflow_phases_0004_markers m
 WHERE a.activity_id = m.activity_id;

INSERT INTO workflow_transition_history
       (cycle_id, report_id, phase_id, phase_name, activity_id, activity_name, entity, from_status, to_status, actor_id, reason, source, at)
SELECT m.cycle_id, m.report_id, m.phase_id, m.phase_name, m.activity_id, m.activity_name, 'activity', m.from_status, 'COMPLETED', NULL,
       'START is a marker: completed with its phase (migration 0004)', 'migration', m.at
  FROM workflow_phases_0004_markers m
 ORDER BY m.cycle_id, m.report_id, m.phase_id;

-- The same {completed, skipped, total} the transitions engine writes to phase_metadata.progress.
UPDATE workflow_phases p
   SET phase_metadata = (COALESCE(p.phase_metadata::jsonb, '{}'::jsonb) || jsonb_build_object('progress', n.progress))::json
  FROM (SELECT a.phase_id,
               jsonb_build_object('completed', count(*) FILTER (WHERE a.status = 'COMPLETED'),
                                  'skipped', count(*) FILTER (WHERE a.status = 'SKIPPED'),
                                  'total', count(*)) AS progress
          FROM workflow_activities a
         WHERE a.phase_id IN (SELECT phase_id FROM workflow_phases_0004_markers)
         GROUP BY a.phase_id) AS n
 WHERE p.phase_id = n.phase_id;
