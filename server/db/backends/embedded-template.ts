/**
 * A pre-initialised, already-migrated PGlite data folder shipped beside the bundle
 * (`dist/pglite-template.tar.gz`, made by `scripts/build-pglite-template.mjs`). Copying
 * it into a new folder replaces PGlite's initdb, which takes seconds and ~800 MB.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize, sep } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** File name of the template, next to the running bundle. */
export const TEMPLATE_FILE = 'pglite-template.tar.gz';

function templatePath(): string | null {
  const candidates = [join(__dirname, TEMPLATE_FILE), join(__dirname, '..', '..', '..', 'dist', TEMPLATE_FILE)];
  return candidates.find((p) => existsSync(p)) ?? null;
}

function field(block: Buffer, start: number, length: number): string {
  const raw = block.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? length : end).toString('utf8');
}

/**
 * Writes the files and folders of an uncompressed ustar archive under `folder`. A
 * top-level `PG_VERSION` is written last: it is what marks a folder as initialised, so an
 * interrupted extraction is redone on the next open instead of leaving a broken database.
 */
export function extractTar(archive: Buffer, folder: string): void {
  let marker: { target: string; body: Buffer } | null = null;
  let offset = 0;
  while (offset + 512 <= archive.length) {
    const header = archive.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const name = [field(header, 345, 155), field(header, 0, 100)].filter(Boolean).join('/');
    const size = Number.parseInt(field(header, 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(header[156] || 48);
    const relative = normalize(name).replace(/^[/\\]+/, '');
    if (relative.split(sep).includes('..')) throw new Error(`unsafe path in template archive: ${name}`);
    const target = join(folder, relative);
    const body = archive.subarray(offset + 512, offset + 512 + size);
    if (type === '5') mkdirSync(target, { recursive: true });
    else if (type === '0' || type === '\0') {
      if (relative === 'PG_VERSION') marker = { target, body };
      else {
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, body);
      }
    }
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  if (marker) writeFileSync(marker.target, marker.body);
}

/**
 * When `folder` holds no database yet and the template is shipped, unpacks the template
 * there. Returns true when it did. Without a template PGlite runs initdb itself.
 */
export function seedFromTemplate(folder: string): Promise<boolean> {
  if (existsSync(join(folder, 'PG_VERSION'))) return Promise.resolve(false);
  const path = templatePath();
  if (path === null) return Promise.resolve(false);
  extractTar(gunzipSync(readFileSync(path)), folder);
  return Promise.resolve(true);
}
