// Writes schemas/phases.schema.json from the zod schema (`npm run gen:schema`).
import { writeFileSync } from 'node:fs';
import { definitionJsonSchema } from '../schemas/definition-schema';

const out = new URL('../schemas/phases.schema.json', import.meta.url);
writeFileSync(out, JSON.stringify(definitionJsonSchema(), null, 2) + '\n');
console.log(`wrote ${out.pathname}`);
