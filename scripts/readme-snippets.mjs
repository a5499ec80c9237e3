// The TypeScript snippets of the documentation, and their compilation: every ```ts block of the root
// README, the packages' and the examples' READMEs and docs/*.md compiles against the workspace packages
// (from their sources), in one TypeScript program. Run `node scripts/readme-snippets.mjs` to see it.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/**
 * The TypeScript snippets of the root README's quickstart and Types section, by their heading.
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

/** The Markdown files whose ```ts blocks must compile, relative to the repository's root. */
export function snippetDocuments(root) {
  const inFolders = (parent, file) =>
    readdirSync(join(root, parent), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => `${parent}/${entry.name}/${file}`)
      .filter((path) => existsSync(join(root, path)));
  const docs = readdirSync(join(root, "docs"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => `docs/${name}`);
  return ["README.md", ...inFolders("packages", "README.md"), ...inFolders("examples", "README.md"), ...docs];
}

/**
 * The ```ts blocks of one Markdown text. The line just above a block may say what it is:
 * `<!-- snippet: fragment -->` (a piece that cannot compile alone: not compiled) or
 * `<!-- snippet: file name.ts -->` (compiled as `name.ts`, so that another block of the same document
 * can import it as `./name.ts`).
 * @param {string} markdown
 * @returns {{ line: number; code: string; fragment: boolean; file: string | undefined }[]}
 */
export function markdownSnippets(markdown) {
  const lines = markdown.split("\n");
  const out = [];
  for (let i = 0; i < lines.length; i++) {
    // a block in a list item is indented: its code is, by as much
    const fence = /^( *)```(?:ts|typescript|mts|cts)(?:\s.*)?$/.exec(lines[i] ?? "");
    if (fence === null) continue;
    const indent = fence[1]?.length ?? 0;
    let end = i + 1;
    while (end < lines.length && !/^ *```\s*$/.test(lines[end] ?? "")) end++;
    if (end === lines.length) throw new Error(`the TypeScript block at line ${i + 1} is not closed`);
    const above = lines[i - 1]?.trim() ?? "";
    const marker = /^<!-- snippet: (fragment|file ([\w.-]+\.ts)) -->$/.exec(above);
    if (marker === null && /<!--\s*snippet/.test(above))
      throw new Error(`line ${i}: unknown snippet marker ${above}`);
    out.push({
      line: i + 2, // the block's first line of code, 1-based
      code: lines
        .slice(i + 1, end)
        .map((line) => line.slice(Math.min(indent, line.length - line.trimStart().length)))
        .join("\n"),
      fragment: marker?.[1] === "fragment",
      file: marker?.[2],
    });
    i = end;
  }
  return out;
}

/** A size figure: `<!-- size: hono.wrangler.gzip -->30.1 KB`, the comment naming its place in docs/sizes.json. */
const SIZE_FIGURE = /<!-- size: ([\w-]+)\.(\w+)\.(bytes|gzip) -->(\d+(?:\.\d+)?) KB/g;

/** Bytes as the docs write them: KB (1,024 bytes) with one decimal. */
export function kilobytes(bytes) {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

/**
 * The bytes docs/sizes.json holds for a figure's key, `undefined` when it has none.
 * @param {{ workers: Record<string, Record<string, { bytes: number; gzip: number }>> }} sizes
 * @param {string} key `<worker>.<tool>.<bytes|gzip>`
 */
export function sizeOf(sizes, key) {
  const [worker = "", tool = "", unit = ""] = key.split(".");
  const value = sizes.workers[worker]?.[tool]?.[unit];
  return typeof value === "number" ? value : undefined;
}

/**
 * The size figures of a Markdown text, with the line each is on.
 * @param {string} markdown
 * @returns {{ key: string; figure: string; line: number }[]}
 */
export function sizeFigures(markdown) {
  return [...markdown.matchAll(SIZE_FIGURE)].map((match) => ({
    key: `${match[1]}.${match[2]}.${match[3]}`,
    figure: `${match[4]} KB`,
    line: markdown.slice(0, match.index).split("\n").length,
  }));
}

/**
 * The Markdown text with each size figure written from `sizes` (what `pnpm bench --only=bundle` does
 * to the docs after measuring); a figure whose key `sizes` lacks is left as it is.
 */
export function withSizeFigures(markdown, sizes) {
  return markdown.replace(SIZE_FIGURE, (whole, worker, tool, unit) => {
    const bytes = sizeOf(sizes, `${worker}.${tool}.${unit}`);
    return bytes === undefined ? whole : `<!-- size: ${worker}.${tool}.${unit} -->${kilobytes(bytes)}`;
  });
}

/**
 * What the snippets may use without declaring it: the reader's own functions and values that the text
 * around a snippet names ("your `save()`", "the `webhooks` above"), and the globals of Bun and Deno as
 * far as the snippets use them. A global script: snippets are modules, so their own declarations win.
 */
export const SNIPPET_PRELUDE = `
declare const env: {
  OCTO_API: string; OCTO_API_KEY: string; OCTO_KEY: string; OCTO_HOOK_PASS: string; OCTO_HOOK_KEY: string;
  KEY: string; VENTRATA_HOOK_PASS: string; PEEK_HOOK_PASS: string; BOKUN_HOOK_KEY: string;
};
declare const webhooks: import("@octo-webhooks/core").OctoWebhooks;
declare const auth: import("@octo-webhooks/core").AuthConfig;
declare const onBookingUpdate: import("@octo-webhooks/core").BookingUpdateHandler;
declare function releaseSeats(uuid: string): Promise<void>;
declare function resendTickets(booking: import("@octo-webhooks/core").Booking, deliveryKey?: string): Promise<void>;
declare function report(error: unknown): void;
declare function save(supplier: string | undefined, booking: import("@octo-webhooks/core").Booking): Promise<void>;
declare function alert(message: string): void;
declare const crm: {
  upsert(booking: import("@octo-webhooks/core").Booking, options: { idempotencyKey: string }): Promise<void>;
};
declare const db: {
  supplier: {
    findUnique(query: { where: { id: string } }): Promise<{ hookUser: string; hookPass: string } | null>;
  };
};
declare const Bun: {
  serve(options: {
    port?: number;
    routes?: Record<string, (request: Request, server: { requestIP(request: Request): unknown }) => Response | Promise<Response>>;
    fetch?: (request: Request, server: { requestIP(request: Request): unknown }) => Response | Promise<Response>;
  }): unknown;
};
declare const Deno: {
  serve(
    options: { port?: number },
    handler: (request: Request, info: { remoteAddr: unknown }) => Response | Promise<Response>,
  ): unknown;
};
`;

/**
 * Compiles every snippet of `documents` (default: {@link snippetDocuments}) in one TypeScript program:
 * `strict` and the repository's other checks, ES modules, the workspace packages from their sources.
 * A snippet is compiled where its imports resolve: in the package of its README when they do there,
 * else at the root, else in the first package that has them all (a package missing from every one is
 * a TS2307 error: add it to the devDependencies of the package the snippet belongs to).
 * @param {string} root the repository's root
 * @param {{ extra?: { path: string; text: string }[]; homes?: string[] }} [options] more documents, as
 *   text (tests); more directories whose `node_modules` a snippet may be compiled in
 */
export async function compileSnippets(root, options = {}) {
  const { default: ts } = await import("typescript");
  const started = performance.now();
  const documents = [
    ...snippetDocuments(root).map((path) => ({ path, text: readFileSync(join(root, path), "utf8") })),
    ...(options.extra ?? []),
  ];
  const compilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ["lib.es2023.d.ts"],
    types: ["node"],
    typeRoots: [join(root, "node_modules/@types")],
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    noImplicitOverride: true,
    noImplicitReturns: true,
    noFallthroughCasesInSwitch: true,
    useUnknownInCatchVariables: true,
    verbatimModuleSyntax: true,
    esModuleInterop: true,
    skipLibCheck: true,
    resolveJsonModule: true,
    allowImportingTsExtensions: true,
    // Nest's decorators are the legacy ones, as in every Nest app's tsconfig
    experimentalDecorators: true,
    customConditions: ["@octo-webhooks/source"],
    noEmit: true,
  };
  const homes = [
    root,
    ...(options.homes ?? []),
    ...["packages", "examples"].flatMap((parent) =>
      readdirSync(join(root, parent), { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && existsSync(join(root, parent, entry.name, "package.json")))
        .map((entry) => join(root, parent, entry.name)),
    ),
  ];
  const cache = ts.createModuleResolutionCache(root, (name) => name, compilerOptions);
  const resolves = (specifier, from) =>
    ts.resolveModuleName(specifier, from, compilerOptions, ts.sys, cache, undefined, ts.ModuleKind.ESNext)
      .resolvedModule !== undefined;

  const virtual = new Map(); // path -> text
  const origin = new Map(); // path -> { doc, line }
  const named = new Map(); // `${doc}\0${name}` -> path
  const prelude = join(root, "__snippets__", "prelude.d.ts");
  virtual.set(prelude, SNIPPET_PRELUDE);
  let fragments = 0;
  for (const { path: doc, text } of documents) {
    const own = /^(packages|examples)\/[^/]+\//.exec(doc)?.[0];
    const candidates = own ? [join(root, own), ...homes] : homes;
    for (const snippet of markdownSnippets(text)) {
      if (snippet.fragment) {
        fragments++;
        continue;
      }
      const specifiers = [...snippet.code.matchAll(/^\s*(?:import|export)\b[^"';]*?from\s+"([^"]+)"/gm)]
        .map((match) => match[1])
        .filter((specifier) => !specifier.startsWith(".") && !specifier.startsWith("node:"));
      // where none resolves them all, the first candidate: TypeScript then names what is missing
      const home =
        candidates.find((dir) =>
          specifiers.every((specifier) => resolves(specifier, join(dir, "__snippets__", "x.mts"))),
        ) ?? candidates[0];
      const slug = `${doc.replace(/\.md$/, "").replace(/[^\w]+/g, "-")}-${snippet.line}`;
      const file = join(home, "__snippets__", snippet.file ?? `${slug}.mts`);
      virtual.set(file, snippet.code);
      origin.set(file, { doc, line: snippet.line });
      if (snippet.file) named.set(`${doc}\0${snippet.file}`, file);
    }
  }

  const host = ts.createCompilerHost(compilerOptions);
  const { fileExists, readFile, getSourceFile, directoryExists } = host;
  host.fileExists = (path) => virtual.has(path) || fileExists.call(host, path);
  host.readFile = (path) => virtual.get(path) ?? readFile.call(host, path);
  host.directoryExists = (path) =>
    path.endsWith("__snippets__") || (directoryExists?.call(host, path) ?? ts.sys.directoryExists(path));
  host.getSourceFile = (path, languageVersion, onError, shouldCreate) => {
    const text = virtual.get(path);
    return text === undefined
      ? getSourceFile.call(host, path, languageVersion, onError, shouldCreate)
      : ts.createSourceFile(path, text, languageVersion, true);
  };
  host.resolveModuleNameLiterals = (literals, containingFile, redirected, options, sourceFile) =>
    literals.map((literal) => {
      const from = origin.get(containingFile);
      // `./name.js` is `name.ts`, as TypeScript resolves it under NodeNext
      const sibling =
        from && literal.text.startsWith("./")
          ? named.get(`${from.doc}\0${literal.text.slice(2).replace(/\.js$/, ".ts")}`)
          : undefined;
      if (sibling !== undefined)
        return { resolvedModule: { resolvedFileName: sibling, extension: ts.Extension.Ts } };
      const mode = ts.getModeForUsageLocation(sourceFile, literal, options);
      return ts.resolveModuleName(literal.text, containingFile, options, host, cache, redirected, mode);
    });

  const program = ts.createProgram({
    rootNames: [prelude, ...origin.keys()],
    options: compilerOptions,
    host,
  });
  const describe = (diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n  ");
    const file = diagnostic.file?.fileName;
    const from = file === undefined ? undefined : origin.get(file);
    if (from === undefined || diagnostic.start === undefined)
      return `${file ? `${relative(root, file)}: ` : ""}TS${diagnostic.code}: ${message}`;
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    return `${from.doc}:${from.line + line}: TS${diagnostic.code}: ${message}`;
  };
  const diagnostics = [
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...[prelude, ...origin.keys()].flatMap((path) => {
      const source = program.getSourceFile(path);
      return source
        ? [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]
        : [];
    }),
  ];
  return {
    compiled: origin.size,
    fragments,
    documents: documents.length,
    errors: diagnostics.map(describe),
    ms: Math.round(performance.now() - started),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const root = dirname(dirname(fileURLToPath(import.meta.url)));
  const result = await compileSnippets(root);
  for (const error of result.errors) console.error(error);
  console.log(
    `${result.compiled} snippets of ${result.documents} documents compiled (${result.fragments} fragments left out) in ${(result.ms / 1000).toFixed(1)} s: ${result.errors.length} errors`,
  );
  process.exitCode = result.errors.length === 0 ? 0 : 1;
}
