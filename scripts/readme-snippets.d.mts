/** The TypeScript snippets of the root README's quickstart and Types section, by their heading. */
export function readmeSnippets(readme: string): { title: string; code: string }[];
