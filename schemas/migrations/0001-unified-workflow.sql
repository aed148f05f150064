-- 0001: the unified phase-tracking model of the seed design, and what it leans on.
-- Forward-only: never edit a migration that has been released; add the next number.

-- Host-application tables: referenced by the workflow tables. A host database already
-- has them (with more columns); the embedded database and a blank PostgreSQL get this
-- minimal shape.
CREATE TABLE IF NOT EXISTS test_cycles (
    cycle_id SERIAL PRIMARY KEY,
    cycle_name VARCHAR(255) NOT NULL UNIQUE,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE IF NOT EXISTS reports (
    id SERIAL PRIMARY KEY,
    report_name VARCHAR(255) NOT NULL UNIQUE,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE IF NOT EXISTS users (
    user_id SERIAL PRIMARY KEY,
    email VARCHAR(255) UNIQUE,
    name VARCHAR(255),
    role VARCHAR(50),
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);

-- The seed's single phase-tracking table, column for column, plus checks.
CREATE TABLE workflow_phases (
    phase_id SERIAL PRIMARY KEY,
    cycle_id INTEGER NOT NULL REFERENCES test_cycles(cycle_id),
    report_id INTEGER NOT NULL REFERENCES reports(id),
    phase_name VARCHAR(100) NOT NULL,
    phase_order INTEGER NOT NULL,

    status VARCHAR(50) NOT NULL DEFAULT 'NOT_STARTED',
    started_at TIMESTAMP,
    started_by INTEGER REFERENCES users(user_id),
    completed_at TIMESTAMP,
    completed_by INTEGER REFERENCES users(user_id),

    risk_level VARCHAR(20),
    phase_metadata JSON,

    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    created_by INTEGER REFERENCES users(user_id),
    updated_by INTEGER REFERENCES users(user_id),

    UNIQUE (cycle_id, report_id, phase_name),
    CONSTRAINT workflow_phases_order_check CHECK (phase_order BETWEEN 1 AND 9),
    CONSTRAINT workflow_phases_name_check CHECK (phase_name IN (
        'planning', 'scoping', 'data_request', 'data_profiling', 'sample_selection',
        'request_info', 'test_execution', 'observation_mgmt', 'test_report')),
    CONSTRAINT workflow_phases_status_check CHECK (status IN ('NOT_STARTED', 'IN_PROGRESS', 'COMPLETED', 'SKIPPED')),
    CONSTRAINT workflow_phases_risk_check CHECK (risk_level IS NULL OR risk_level IN ('low', 'medium', 'high'))
);

-- Activities: the seed's columns, plus what transitions need.
CREATE TABLE workflow_activities (
    activity_id SERIAL PRIMARY KEY,
    phase_id INTEGER NOT NULL REFERENCES workflow_phases(phase_id),
    activity_name VARCHAR(255) NOT NULL,
    activity_type VARCHAR(50) NOT NULL,
    activity_order INTEGER NOT NULL,
    status VARCHAR(50) NOT NULL DEFAULT 'NOT_STARTED',

    required BOOLEAN NOT NULL DEFAULT TRUE,
    role VARCHAR(50),
    description TEXT,
    started_at TIMESTAMP,
    started_by INTEGER REFERENCES users(user_id),
    completed_at TIMESTAMP,
    completed_by INTEGER REFERENCES users(user_id),
    blocked_reason TEXT,
    revision_reason TEXT,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_by INTEGER REFERENCES users(user_id),

    UNIQUE (phase_id, activity_name),
    CONSTRAINT workflow_activities_type_check CHECK (activity_type IN ('START', 'TASK', 'REVIEW', 'APPROVAL', 'COMPLETE', 'CUSTOM')),
    CONSTRAINT workflow_activities_status_check CHECK (status IN (
        'NOT_STARTED', 'IN_PROGRESS', 'COMPLETED', 'BLOCKED', 'SKIPPED', 'REVISION_REQUESTED')),
    CONSTRAINT workflow_activities_order_check CHECK (activity_order >= 1)
);

CREATE INDEX workflow_activities_phase_idx ON workflow_activities (phase_id, activity_order);

-- Which workflow definition each (cycle, report) follows.
CREATE TABLE workflow_instances (
    cycle_id INTEGER NOT NULL REFERENCES test_cycles(cycle_id),
    report_id INTEGER NOT NULL REFERENCES reports(id),
    workflow_name VARCHAR(255) NOT NULL,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    created_by INTEGER REFERENCES users(user_id),
    PRIMARY KEY (cycle_id, report_id)
);

-- Each synced definition: what was synced, when and by whom. `definition` is the
-- resolved workflow (defaults applied) that transitions read their rules from.
CREATE TABLE workflow_definitions (
    workflow_name VARCHAR(255) PRIMARY KEY,
    content_hash VARCHAR(64) NOT NULL,
    definition JSONB NOT NULL,
    source_path TEXT,
    synced_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    synced_by VARCHAR(255)
);

-- Append-only history of every status change. Names are kept beside ids so a row
-- still reads correctly after its activity was removed by a later sync.
CREATE TABLE workflow_transition_history (
    history_id BIGSERIAL PRIMARY KEY,
    cycle_id INTEGER NOT NULL,
    report_id INTEGER NOT NULL,
    phase_id INTEGER NOT NULL,
    phase_name VARCHAR(100) NOT NULL,
    activity_id INTEGER,
    activity_name VARCHAR(255),
    entity VARCHAR(10) NOT NULL CHECK (entity IN ('phase', 'activity')),
    from_status VARCHAR(50),
    to_status VARCHAR(50) NOT NULL,
    actor_id INTEGER,
    reason TEXT,
    source VARCHAR(50) NOT NULL,
    at TIMESTAMP NOT NULL DEFAULT clock_timestamp()
);

CREATE INDEX workflow_transition_history_instance_idx
    ON workflow_transition_history (cycle_id, report_id, history_id);

CREATE FUNCTION workflow_transition_history_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'workflow_transition_history is append-only';
END;
$$;

CREATE TRIGGER workflow_transition_history_no_change
    BEFORE UPDATE OR DELETE ON workflow_transition_history
    FOR EACH ROW EXECUTE FUNCTION workflow_transition_history_append_only();
