/**
 * Times as phasectl prints every one of them, in text and JSON: ISO 8601 with microseconds
 * and the zone, `2026-12-01T09:30:00.123456Z`. The engine and the database keep UTC times
 * without a zone (`TS_FORMAT` in `server/db/transitions/load.ts`); the zone is added here.
 */

const ZONELESS = /(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?)(?![\d.Z+-])/g;

/** An engine or database timestamp (UTC, no zone) with its zone. */
export function cliTime(at: string): string {
  return at.endsWith('Z') ? at : `${at}Z`;
}

/** A sentence of the engine ("… started by ana@example.com at 2026-12-01T09:30:00.123456 …") with its times zoned. */
export function withZones(text: string): string {
  return text.replace(ZONELESS, '$1Z');
}

/** Now, in the same format (microseconds from the high-resolution clock). */
export function cliNow(): string {
  const ms = performance.timeOrigin + performance.now();
  const micros = String(Math.floor((ms % 1) * 1000)).padStart(3, '0');
  return new Date(Math.floor(ms)).toISOString().replace('Z', `${micros}Z`);
}
