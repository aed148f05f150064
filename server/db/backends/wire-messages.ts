/**
 * The few PostgreSQL wire-protocol (v3) messages the embedded database's socket bridge
 * reads and writes itself: framing, the start-up exchange, errors, notifications, and
 * the statement names it rewrites so clients sharing one backend do not collide.
 */

/** One framed message: its type byte and the whole message (type, length, body). */
export interface WireMessage {
  readonly type: string;
  readonly bytes: Buffer;
}

/** Splits complete messages off the front of `buffer`; `rest` is what is still incomplete. */
export function splitMessages(buffer: Buffer): { messages: WireMessage[]; rest: Buffer } {
  const messages: WireMessage[] = [];
  let at = 0;
  while (buffer.length - at >= 5) {
    const length = buffer.readInt32BE(at + 1);
    if (length < 4) throw new Error(`malformed message (length ${length})`);
    if (buffer.length - at < 1 + length) break;
    messages.push({ type: String.fromCharCode(buffer[at] ?? 0), bytes: buffer.subarray(at, at + 1 + length) });
    at += 1 + length;
  }
  return { messages, rest: buffer.subarray(at) };
}

/** The start-up packet's code for a protocol 3.0 StartupMessage, and for the requests that precede one. */
export const STARTUP = { protocol3: 196608, ssl: 80877103, gss: 80877104, cancel: 80877102 } as const;

/** Reads an untyped start-up packet from the front of `buffer` (null while incomplete). */
export function readStartupPacket(buffer: Buffer): { code: number; params: Map<string, string>; size: number } | null {
  if (buffer.length < 8) return null;
  const size = buffer.readInt32BE(0);
  if (size < 8 || size > 10_000) throw new Error(`malformed start-up packet (length ${size})`);
  if (buffer.length < size) return null;
  const code = buffer.readInt32BE(4);
  const params = new Map<string, string>();
  if (code === STARTUP.protocol3) {
    const fields = buffer.subarray(8, size).toString('utf8').split('\0');
    for (let i = 0; i + 1 < fields.length && fields[i] !== ''; i += 2) params.set(fields[i] ?? '', fields[i + 1] ?? '');
  }
  return { code, params, size };
}

function message(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

function cstrings(...values: string[]): Buffer {
  return Buffer.from(values.map((v) => `${v}\0`).join(''), 'utf8');
}

function int32s(...values: number[]): Buffer {
  const out = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => out.writeInt32BE(v | 0, i * 4));
  return out;
}

/** AuthenticationOk, the server's parameters, BackendKeyData and ReadyForQuery: a finished start-up. */
export function startupReply(parameters: Readonly<Record<string, string>>, pid: number, secret: number): Buffer {
  return Buffer.concat([
    message('R', int32s(0)),
    ...Object.entries(parameters).map(([k, v]) => message('S', cstrings(k, v))),
    message('K', int32s(pid, secret)),
    readyForQuery('I'),
  ]);
}

/** ReadyForQuery with a transaction status (`I` idle, `T` in a transaction, `E` in a failed one). */
export function readyForQuery(status: 'I' | 'T' | 'E'): Buffer {
  return message('Z', Buffer.from(status, 'latin1'));
}

/** An ErrorResponse. */
export function errorResponse(severity: 'ERROR' | 'FATAL', code: string, text: string): Buffer {
  const fields = Buffer.concat([Buffer.from('S', 'latin1'), cstrings(severity), Buffer.from('V', 'latin1'), cstrings(severity), Buffer.from('C', 'latin1'), cstrings(code), Buffer.from('M', 'latin1'), cstrings(text), Buffer.from([0])]);
  return message('E', fields);
}

/** A NotificationResponse. */
export function notificationResponse(pid: number, channel: string, payload: string): Buffer {
  return message('A', Buffer.concat([int32s(pid), cstrings(channel, payload)]));
}

/** Reads a NotificationResponse. */
export function readNotification(bytes: Buffer): { pid: number; channel: string; payload: string } {
  const [channel = '', payload = ''] = bytes.subarray(9).toString('utf8').split('\0');
  return { pid: bytes.readInt32BE(5), channel, payload };
}

/** A simple Query message. */
export function simpleQuery(sql: string): Buffer {
  return message('Q', cstrings(sql));
}

/** A Sync message. */
export function sync(): Buffer {
  return message('S', Buffer.alloc(0));
}

/** A Close message for a prepared statement. */
export function closeStatement(name: string): Buffer {
  return message('C', Buffer.concat([Buffer.from('S', 'latin1'), cstrings(name)]));
}

function readCString(bytes: Buffer, at: number): { value: string; end: number } {
  const end = bytes.indexOf(0, at);
  if (end === -1) throw new Error('malformed message (unterminated string)');
  return { value: bytes.subarray(at, end).toString('utf8'), end: end + 1 };
}

/** An SQL identifier, quoted (for channel names in LISTEN / UNLISTEN). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The SQL text of a Query or Parse message (null for other messages). */
export function sqlText(m: WireMessage): string | null {
  if (m.type === 'Q') return readCString(m.bytes, 5).value;
  if (m.type === 'P') return readCString(m.bytes, readCString(m.bytes, 5).end).value;
  return null;
}

/**
 * Gives the prepared statements and portals a client names a per-client prefix, so two
 * clients of one shared backend may both use the name `s1`. Returns the message
 * (rewritten or as it was) and the statement it creates (Parse) or closes (Close), if named.
 */
export function prefixNames(m: WireMessage, prefix: string): { bytes: Buffer; parsed?: string; closed?: string } {
  const named = (v: string) => (v === '' ? '' : prefix + v);
  const rebuild = (names: string[], restAt: number) => message(m.type, Buffer.concat([cstrings(...names), m.bytes.subarray(restAt)]));
  switch (m.type) {
    case 'P': {
      const name = readCString(m.bytes, 5);
      if (name.value === '') return { bytes: m.bytes };
      return { bytes: rebuild([named(name.value)], name.end), parsed: named(name.value) };
    }
    case 'B': {
      const portal = readCString(m.bytes, 5);
      const statement = readCString(m.bytes, portal.end);
      if (portal.value === '' && statement.value === '') return { bytes: m.bytes };
      return { bytes: rebuild([named(portal.value), named(statement.value)], statement.end) };
    }
    case 'E': {
      const portal = readCString(m.bytes, 5);
      if (portal.value === '') return { bytes: m.bytes };
      return { bytes: rebuild([named(portal.value)], portal.end) };
    }
    case 'D':
    case 'C': {
      const kind = String.fromCharCode(m.bytes[5] ?? 0);
      const name = readCString(m.bytes, 6);
      if (name.value === '') return { bytes: m.bytes };
      const bytes = message(m.type, Buffer.concat([Buffer.from(kind, 'latin1'), cstrings(named(name.value)), m.bytes.subarray(name.end)]));
      return m.type === 'C' && kind === 'S' ? { bytes, closed: named(name.value) } : { bytes };
    }
    default:
      return { bytes: m.bytes };
  }
}

/**
 * The channels a statement starts or stops listening to, read from its text:
 * `LISTEN x`, `UNLISTEN x`, `UNLISTEN *` (channel `*`). Identifiers fold to lower case
 * unless quoted, as PostgreSQL folds them.
 */
export function listenChanges(sql: string): { listen: string[]; unlisten: string[]; resets: boolean } {
  const listen: string[] = [];
  const unlisten: string[] = [];
  const pattern = /\b(UN)?LISTEN\s+("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*|\*)/gi;
  for (const match of sql.matchAll(pattern)) {
    const raw = match[2] ?? '';
    const channel = raw.startsWith('"') ? raw.slice(1, -1).replace(/""/g, '"') : raw === '*' ? '*' : raw.toLowerCase();
    (match[1] ? unlisten : listen).push(channel);
  }
  return { listen, unlisten, resets: unlisten.length > 0 || /\bDISCARD\s+ALL\b/i.test(sql) };
}

/** A ReadyForQuery transaction status: idle, in a transaction, in a failed transaction. */
export type TxStatus = 'I' | 'T' | 'E';

/**
 * Sorts a backend's answer: the messages to forward, the notifications taken out of it,
 * the transaction status when it ends with ReadyForQuery (null: the exchange goes on),
 * and the command tags of the statements it completed.
 */
export function sortBackendOutput(out: Buffer): { forward: Buffer; notifications: { pid: number; channel: string; payload: string }[]; idle: TxStatus | null; tags: string[] } {
  const { messages } = splitMessages(out);
  const keep: Buffer[] = [];
  const notifications: { pid: number; channel: string; payload: string }[] = [];
  const tags: string[] = [];
  for (const m of messages) {
    if (m.type === 'A') notifications.push(readNotification(m.bytes));
    else keep.push(m.bytes);
    if (m.type === 'C') tags.push(m.bytes.subarray(5, m.bytes.length - 1).toString('utf8'));
  }
  const last = messages[messages.length - 1];
  const idle = last?.type === 'Z' ? (String.fromCharCode(last.bytes[5] ?? 73) as TxStatus) : null;
  return { forward: Buffer.concat(keep), notifications, idle, tags };
}
