import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
// @ts-expect-error -- a plain .mjs build script without type declarations
import { generate, OUTPUT } from '../../scripts/gen-migrations.mjs';

void test('server/db/migrations/generated-sql.ts matches schemas/migrations/*.sql (run `npm run gen:migrations`)', () => {
  assert.equal(readFileSync(OUTPUT as string, 'utf8'), (generate as () => string)());
});
