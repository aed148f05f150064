/** Where a rule's documentation page is: `docs/rules/<id>.md` shipped beside `dist/`. */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

// The bundle runs from <extension>/dist/server.js; the docs ship in <extension>/docs.
const docsRoot = resolve(__dirname, '..', 'docs', 'rules');

const cache = new Map<string, string>();

/** The `file://` URI of the docs page of rule `id`. */
export function ruleDocsUri(id: string): string {
  let uri = cache.get(id);
  if (uri === undefined) cache.set(id, (uri = pathToFileURL(resolve(docsRoot, `${id}.md`)).href));
  return uri;
}
