/**
 * The seed of a randomised test: `FUZZ_SEED` when set (to replay a run), the test's fixed
 * seed when `CI` is set (CI runs the same inputs every time), else a new random one, so
 * local runs keep exploring. The seed is always printed with how to replay it.
 */

/** Where a seed came from. */
export type SeedSource = 'FUZZ_SEED' | 'CI' | 'random';

/** The seed `env` chooses for a test whose fixed (CI) seed is `fixed`, and why. */
export function chooseSeed(fixed: number, env: Readonly<Record<string, string | undefined>> = process.env, random: () => number = Math.random): { seed: number; source: SeedSource } {
  const given = env.FUZZ_SEED?.trim();
  if (given) {
    const seed = Number(given);
    if (!Number.isSafeInteger(seed)) throw new Error(`FUZZ_SEED must be a whole number, not '${given}'`);
    return { seed, source: 'FUZZ_SEED' };
  }
  if (env.CI && env.CI !== 'false' && env.CI !== '0') return { seed: fixed, source: 'CI' };
  // fast-check takes a 32-bit seed.
  return { seed: Math.floor(random() * 0x7fffffff), source: 'random' };
}

/** The seed for the test `label` (fixed seed `fixed` in CI); printed on stdout with how to replay it. */
export function fuzzSeed(label: string, fixed: number): number {
  const { seed, source } = chooseSeed(fixed);
  const why = source === 'random' ? 'random' : source === 'CI' ? 'fixed in CI' : 'from FUZZ_SEED';
  console.log(`${label} seed: ${seed} (${why}; replay with FUZZ_SEED=${seed})`);
  return seed;
}
