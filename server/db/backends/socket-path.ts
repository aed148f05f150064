/**
 * Where a holder serves its embedded database: a Unix domain socket named as PostgreSQL
 * names its own (`.s.PGSQL.<port>`), so `pg` connects to it with `host` = its folder and
 * `port` = the number. Inside the database folder when the path fits the socket-address
 * limit (108 bytes on Linux, 104 on macOS, counting the final NUL), else in a fresh
 * private folder under the OS temp dir.
 */
import { mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';

/** The longest socket path used (bytes, without the final NUL): fits Linux and macOS. */
export const MAX_SOCKET_PATH = 103;

const SOCKET_NAME = '.s.PGSQL.5432';

/** A claimed socket path. */
export interface SocketPath {
  readonly path: string;
  /** Removes the socket file (and the temp folder made for it). */
  remove(): void;
}

/** Picks the socket path for `folder`. */
export function claimSocketPath(folder: string): SocketPath {
  const inFolder = join(folder, SOCKET_NAME);
  if (Buffer.byteLength(inFolder) <= MAX_SOCKET_PATH) {
    return { path: inFolder, remove: () => rmSync(inFolder, { force: true }) };
  }
  const base = Buffer.byteLength(join(tmpdir(), 'wp-XXXXXX', SOCKET_NAME)) <= MAX_SOCKET_PATH ? tmpdir() : '/tmp';
  // mkdtemp makes it private (0700): nobody else can reach the socket inside.
  const dir = mkdtempSync(join(base, 'wp-'));
  const path = join(dir, SOCKET_NAME);
  return {
    path,
    remove() {
      try {
        unlinkSync(path);
      } catch {
        // Already gone.
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `pg` connection settings for a socket path: its folder as `host`, the number in its name as `port`. */
export function socketEndpoint(path: string): { host: string; port: number } | null {
  const port = /^\.s\.PGSQL\.(\d+)$/.exec(basename(path))?.[1];
  if (port === undefined || !path.startsWith('/')) return null;
  return { host: dirname(path), port: Number(port) };
}
