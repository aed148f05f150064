/** Markdown as plain text, for clients that did not declare markdown (hover, completion documentation). */

/**
 * The text of `markdown` without its markup: `**bold**` and `` `code` `` lose their marks,
 * a `---` rule becomes a blank line, `[text](url)` becomes `text (url)`, `\*` becomes `*`.
 */
export function plainText(markdown: string): string {
  return markdown
    .split('\n')
    .map((line) => (/^\s*(-{3,}|\*{3,}|_{3,})\s*$/.test(line) ? '' : line))
    .join('\n')
    .replace(/\[([^\]]*)\]\(([^)\s]*)\)/g, '$1 ($2)')
    .replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, '$2')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\\([\\`*_{}[\]()#+\-.!|>~])/g, '$1')
    .replace(/\n{3,}/g, '\n\n');
}
