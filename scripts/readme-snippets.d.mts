/** The TypeScript snippets of the root README's quickstart and Types section, by their heading. */
export function readmeSnippets(readme: string): { title: string; code: string }[];

/** The Markdown files whose ```ts blocks must compile, relative to the repository's root. */
export function snippetDocuments(root: string): string[];

/** The ```ts blocks of one Markdown text, with what the line above each says of it. */
export function markdownSnippets(
  markdown: string,
): { line: number; code: string; fragment: boolean; file: string | undefined }[];

/** What the snippets may use without declaring it (a global script). */
export const SNIPPET_PRELUDE: string;

/** What {@link compileSnippets} found. */
export interface SnippetCompilation {
  /** Snippets compiled. */
  compiled: number;
  /** Snippets marked `<!-- snippet: fragment -->`, not compiled. */
  fragments: number;
  /** Markdown files read. */
  documents: number;
  /** `doc.md:line: TS1234: message`, one per error. */
  errors: string[];
  ms: number;
}

/** Compiles every snippet of the docs (and of `extra`) in one TypeScript program. */
export function compileSnippets(
  root: string,
  options?: { extra?: { path: string; text: string }[]; homes?: string[] },
): Promise<SnippetCompilation>;

/** docs/sizes.json's shape, as far as the figures read it. */
export interface Sizes {
  workers: Record<string, Record<string, { bytes: number; gzip: number } | string>>;
}

/** Bytes as the docs write them: KB (1,024 bytes) with one decimal. */
export function kilobytes(bytes: number): string;

/** The bytes docs/sizes.json holds for a figure's key (`hono.wrangler.gzip`), `undefined` when none. */
export function sizeOf(sizes: Sizes, key: string): number | undefined;

/** The size figures (`<!-- size: hono.wrangler.gzip -->30.1 KB`) of a Markdown text. */
export function sizeFigures(markdown: string): { key: string; figure: string; line: number }[];

/** The Markdown text with each size figure written from `sizes`. */
export function withSizeFigures(markdown: string, sizes: Sizes): string;
