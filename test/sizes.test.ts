// Every size figure of the docs comes from docs/sizes.json, which `pnpm bench --only=bundle` writes
// (bench/src/bundle.ts): a figure is written `<!-- size: hono.wrangler.gzip -->30.1 KB`, and a README
// that states a size without saying where it comes from fails here, as does one whose Worker is no
// longer the one measured.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  kilobytes,
  readmeSnippets,
  type Sizes,
  sizeFigures,
  sizeOf,
  snippetDocuments,
} from "../scripts/readme-snippets.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const read = (path: string) => readFileSync(`${root}${path}`, "utf8");
const sizes = JSON.parse(read("docs/sizes.json")) as Sizes & {
  workers: Record<string, { source: string }>;
};
const documents = snippetDocuments(root).map((path) => ({ path, text: read(path) }));

describe("docs/sizes.json and the docs' figures", () => {
  it("every figure is the file's, in every document", () => {
    const figures = documents.flatMap(({ path, text }) =>
      sizeFigures(text).map((figure) => ({ ...figure, at: `${path}:${figure.line}` })),
    );
    expect(figures.length).toBeGreaterThanOrEqual(20);
    for (const { key, figure, at } of figures) {
      const bytes = sizeOf(sizes, key);
      expect(bytes, `${at}: docs/sizes.json has no ${key}`).toBeTypeOf("number");
      expect(figure, `${at}: ${key}`).toBe(kilobytes(bytes ?? 0));
    }
  });

  it("the root, core and Hono READMEs state the Worker's size, from the file", () => {
    const keys = (path: string) =>
      sizeFigures(documents.find((d) => d.path === path)?.text ?? "").map((f) => f.key);
    expect(keys("README.md")).toEqual(
      expect.arrayContaining(["hono.wrangler.gzip", "hono.esbuild.gzip", "hono.wranglerUnminified.gzip"]),
    );
    expect(keys("packages/core/README.md")).toEqual(
      expect.arrayContaining(["core.wrangler.gzip", "core.esbuild.gzip"]),
    );
    expect(keys("packages/hono/README.md")).toEqual(
      expect.arrayContaining(["hono.wrangler.gzip", "hono.esbuild.gzip"]),
    );
  });

  it("no README states a bundle size that does not come from the file", () => {
    for (const { path, text } of documents.filter((d) => d.path.endsWith("README.md"))) {
      text.split("\n").forEach((line, index) => {
        if (!/gzip|minif|bundle|Worker/i.test(line)) return;
        const unmarked = line.replace(/<!-- size: [\w.-]+ -->\d+(?:\.\d+)? KB/g, "");
        expect(unmarked, `${path}:${index + 1}`).not.toMatch(/\d\s?(?:KB|KiB|kB)\b/);
      });
    }
  });

  it("the Workers measured are the ones the READMEs show", () => {
    const snippets = readmeSnippets(read("README.md"));
    const code = (title: string) => snippets.find((s) => s.title === title)?.code;
    expect(sizes.workers.hono?.source).toBe(code("Hono on Cloudflare Workers"));
    expect(sizes.workers.core?.source).toBe(code("Anything else"));
    // the Hono README's Worker is the same code, so that its figures are of it
    const hono = read("packages/hono/README.md");
    expect(hono).toContain(`\`\`\`ts\n${sizes.workers.hono?.source}\`\`\``);
  });
});
