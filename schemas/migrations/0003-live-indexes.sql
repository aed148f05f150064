-- 0003: partial indexes for the editor's live views (the language server's instance
-- list, its filters and totals). They hold only the open rows — phases in progress,
-- activities in progress, blocked or sent back for revision — so the list of 10,000
-- instances reads what is open instead of every phase and activity row.

CREATE INDEX workflow_phases_in_progress_idx
    ON workflow_phases (cycle_id, report_id) WHERE status = 'IN_PROGRESS';

CREATE INDEX workflow_activities_open_idx
    ON workflow_activities (phase_id) WHERE status IN ('IN_PROGRESS', 'BLOCKED', 'REVISION_REQUESTED');
