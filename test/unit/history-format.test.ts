/**
 * `phasectl history`'s text table: aligned columns, zoned times, and a history of any length
 * (a quarter of a million rows once overflowed the stack while measuring the columns).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatHistoryText } from '../../server/cli/commands/history';
import type { HistoryEntry } from '../../server/db/transitions/index';

function entry(id: number, overrides: Partial<HistoryEntry> = {}): HistoryEntry {
  return {
    id,
    at: '2026-12-01T09:30:00.123456',
    entity: 'activity',
    phase: 'planning',
    activity: 'load_attributes',
    from: 'NOT_STARTED',
    to: 'IN_PROGRESS',
    actorId: 7,
    actor: 'tess@example.com',
    reason: null,
    source: 'cli',
    ...overrides,
  };
}

test('columns line up on the longest cell of each column', () => {
  const text = formatHistoryText([entry(1), entry(2, { actor: null, actorId: null, entity: 'phase', activity: null, reason: 'waiting for the CDO extract' })]);
  const lines = text.trimEnd().split('\n');
  assert.equal(lines.length, 2);
  assert.match(lines[0]!, /^2026-12-01T09:30:00\.123456Z {2}tess@example\.com {2}planning\/load_attributes {2}NOT_STARTED -> IN_PROGRESS {2}cli$/);
  assert.match(lines[1]!, /^2026-12-01T09:30:00\.123456Z {2}- {17}phase planning {12}NOT_STARTED -> IN_PROGRESS {2}cli {2}"waiting for the CDO extract"$/);
});

test('a history of 250,000 rows is formatted, not a stack overflow', () => {
  const entries = Array.from({ length: 250_000 }, (_, i) => entry(i + 1));
  const text = formatHistoryText(entries);
  assert.equal(text.split('\n').length, 250_001);
});

test('no rows says so', () => {
  assert.equal(formatHistoryText([]), 'No transitions yet.\n');
});
