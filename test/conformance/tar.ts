/** Reads the files of a `.tgz` (ustar) into memory: enough for the reference archives kept here. */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/** Every regular file of the archive at `path`, by its path inside the archive. */
export function readTgz(path: string): Map<string, Buffer> {
  const tar = gunzipSync(readFileSync(path));
  const files = new Map<string, Buffer>();
  const field = (at: number, length: number) => tar.subarray(at, at + length).toString('utf8').replace(/\0.*$/s, '');
  for (let at = 0; at + 512 <= tar.length; ) {
    const name = field(at, 100);
    if (name === '') break;
    const size = parseInt(field(at + 124, 12).trim() || '0', 8);
    const type = field(at + 156, 1);
    const prefix = field(at + 345, 155);
    if (type === '0' || type === '') files.set(prefix ? `${prefix}/${name}` : name, tar.subarray(at + 512, at + 512 + size));
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}
