-- 0002: tell listeners (the editor's live status view) about every phase and activity
-- change on the channel `workflow_phases_changes`.
--
-- Payload: {"table","op","cycle_id","report_id","phase_id","activity_id","status"}
-- (activity_id is null for phases).
--
-- Statement-level triggers with transition tables, not row triggers: a sync that writes
-- 90,000 activities in one statement must not run 90,000 trigger calls and queue 90,000
-- notifications. Each statement sends one notification per changed row when it changed
-- a single row of an instance (what transitions do), and one notification per
-- (cycle, report) when it changed several rows of that instance, with phase_id,
-- activity_id and status null and "rows" giving the count: "reload this instance".
-- UPDATE triggers see only rows the statement really changed, so an upsert guarded by
-- `WHERE … IS DISTINCT FROM …` that changes nothing sends nothing.

CREATE FUNCTION workflow_phases_notify_changes() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('workflow_phases_changes', json_build_object(
        'table', 'workflow_phases',
        'op', TG_OP,
        'cycle_id', g.cycle_id,
        'report_id', g.report_id,
        'phase_id', CASE WHEN g.n = 1 THEN g.phase_id END,
        'activity_id', NULL,
        'status', CASE WHEN g.n = 1 THEN g.status END,
        'rows', g.n)::text)
    FROM (
        SELECT cycle_id, report_id, count(*)::int AS n, min(phase_id) AS phase_id, min(status) AS status
        FROM changed_rows
        GROUP BY cycle_id, report_id
        ORDER BY cycle_id, report_id
    ) AS g;
    RETURN NULL;
END;
$$;

CREATE FUNCTION workflow_activities_notify_changes() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('workflow_phases_changes', json_build_object(
        'table', 'workflow_activities',
        'op', TG_OP,
        'cycle_id', g.cycle_id,
        'report_id', g.report_id,
        'phase_id', CASE WHEN g.n = 1 THEN g.phase_id END,
        'activity_id', CASE WHEN g.n = 1 THEN g.activity_id END,
        'status', CASE WHEN g.n = 1 THEN g.status END,
        'rows', g.n)::text)
    FROM (
        SELECT p.cycle_id, p.report_id, count(*)::int AS n,
               min(a.phase_id) AS phase_id, min(a.activity_id) AS activity_id, min(a.status) AS status
        FROM changed_rows a
        JOIN workflow_phases p ON p.phase_id = a.phase_id
        GROUP BY p.cycle_id, p.report_id
        ORDER BY p.cycle_id, p.report_id
    ) AS g;
    RETURN NULL;
END;
$$;

-- Transition tables allow one event per trigger, hence an INSERT and an UPDATE trigger each.
CREATE TRIGGER workflow_phases_notify_insert
    AFTER INSERT ON workflow_phases
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION workflow_phases_notify_changes();

CREATE TRIGGER workflow_phases_notify_update
    AFTER UPDATE ON workflow_phases
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION workflow_phases_notify_changes();

CREATE TRIGGER workflow_activities_notify_insert
    AFTER INSERT ON workflow_activities
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION workflow_activities_notify_changes();

CREATE TRIGGER workflow_activities_notify_update
    AFTER UPDATE ON workflow_activities
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION workflow_activities_notify_changes();
