/** Times and durations in words, for labels, tooltips and documents (no editor API: unit-tested). */

/** A duration in words, short: `45 min`, `5 h`, `3 d`. */
export function shortDuration(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.round(hours / 24)} d`;
}

/** When, relative to now: `3 h ago`, `in 2 d`. */
export function relativeTime(iso: string, now = Date.now()): string {
  const delta = Date.parse(iso) - now;
  if (Number.isNaN(delta)) return iso;
  if (Math.abs(delta) < 60_000) return 'just now';
  return delta < 0 ? `${shortDuration(delta)} ago` : `in ${shortDuration(delta)}`;
}

/** A time for a tooltip: local date and time with the zone, e.g. `2026-12-01 10:30 UTC+1`. */
export function longTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  const offset = -date.getTimezoneOffset();
  const zone = offset === 0 ? 'UTC' : `UTC${offset > 0 ? '+' : '-'}${Math.floor(Math.abs(offset) / 60)}${Math.abs(offset) % 60 ? `:${pad(Math.abs(offset) % 60)}` : ''}`;
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())} ${zone}`;
}
