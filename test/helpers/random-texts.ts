/** Shared by the fuzz and differential tests: a seeded generator and the YAML texts to mutate. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** mulberry32: a small seeded generator of numbers in [0, 1), so a failing run can be replayed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The text of every `.yaml`/`.yml` file below `dir`, in a stable order. */
export function yamlTextsIn(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yamlTextsIn(path, out);
    else if (/\.ya?ml$/.test(name)) out.push(readFileSync(path, 'utf8'));
  }
  return out;
}
