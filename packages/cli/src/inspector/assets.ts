import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

// The page's bundle (inspector.js, inspector.css), built by the package's build into dist/inspector/ and
// served from there: nothing is fetched from a network.

/** The built assets: next to the CLI in dist/, or the package's dist/ when run from its sources. */
export function findAssetsDir(): string | undefined {
  const candidates = [
    new URL("./inspector/", import.meta.url),
    new URL("../../dist/inspector/", import.meta.url),
  ];
  for (const candidate of candidates) {
    const dir = fileURLToPath(candidate);
    if (existsSync(`${dir}inspector.js`)) return dir;
  }
  return undefined;
}

/** The content security policy of the page: its own scripts, styles and API only. */
export const PAGE_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** What the page inspects: `dev`'s mock suppliers, or `inspect`'s delivery log. */
export type PageMode = "mock" | "log";

/** The HTML page: the app's root (saying its mode), its script and its stylesheet. */
export function pageHtml(built: boolean, mode: PageMode = "mock"): string {
  const body = built
    ? `<div id="app" data-mode="${mode}"><p>Loading the inspector…</p></div><script src="/assets/inspector.js" defer></script>`
    : "<main><h1>octo-webhooks inspector</h1><p>The page is not built: run <code>pnpm --filter @octo-webhooks/cli build</code>.</p></main>";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>octo-webhooks inspector</title>
<link rel="icon" href="data:,">
${built ? '<link rel="stylesheet" href="/assets/inspector.css">' : ""}
</head>
<body>${body}</body>
</html>
`;
}

const TYPES: Record<string, string> = {
  "inspector.js": "text/javascript; charset=utf-8",
  "inspector.css": "text/css; charset=utf-8",
};

/** An asset by name (only the bundle's files), or `undefined`. */
export function readAsset(dir: string | undefined, name: string): { type: string; data: Buffer } | undefined {
  const type = TYPES[name];
  if (dir === undefined || type === undefined) return undefined;
  try {
    return { type, data: readFileSync(`${dir}${name}`) };
  } catch {
    return undefined;
  }
}
