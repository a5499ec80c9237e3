// The TypeScript snippets of the root README's quickstart and Types section, by their heading.
/**
 * @param {string} readme the README's text
 * @returns {{ title: string; code: string }[]}
 */
export function readmeSnippets(readme) {
  const from = readme.indexOf("## Quickstart");
  const to = readme.indexOf("## Features");
  const part = readme.slice(from, to);
  const out = [];
  const pattern = /(?:^\*\*([^*]+)\*\* \(|^### (Types)\b)[\s\S]*?^```ts\n([\s\S]*?)^```/gm;
  for (const match of part.matchAll(pattern)) {
    const title = (match[1] ?? match[2]).trim();
    out.push({ title, code: match[3] });
  }
  return out;
}
