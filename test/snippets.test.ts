// Docs that cannot drift: every ```ts block of the READMEs and docs/*.md compiles against the workspace
// packages (from their sources), in one TypeScript program; a block that cannot compile alone says so
// with `<!-- snippet: fragment -->` on the line above it, and there are few of them.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compileSnippets, markdownSnippets } from "../scripts/readme-snippets.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));

// One program over all of them and a document of its own with two mistakes, so that a check that
// compiled nothing, or reported nothing, fails here.
const broken = [
  "```ts",
  'import { createOctoWebhooks } from "@octo-webhooks/core";',
  "",
  "createOctoWebhooks({ onBookingUpdat: () => {} });",
  "```",
  "",
  "<!-- snippet: fragment -->",
  "```ts",
  "not( typescript",
  "```",
  "",
  "```ts",
  'import { octoWebhooks } from "@octo-webhooks/express";',
  "octoWebhooks({ onBookingUpdate: ({ booking }) => booking.stauts });",
  "```",
].join("\n");

describe("the docs' TypeScript blocks", () => {
  it("all compile, in one program, the few fragments apart", { timeout: 120_000 }, async () => {
    const result = await compileSnippets(root, { extra: [{ path: "test/broken.md", text: broken }] });
    const planted = result.errors.filter((error) => error.startsWith("test/broken.md:"));
    expect(result.errors.filter((error) => !planted.includes(error))).toEqual([]);
    // the document with mistakes: both found, at their lines; its fragment left out
    expect(planted.map((error) => error.replace(/: [\s\S]*/, ""))).toEqual([
      "test/broken.md:4",
      "test/broken.md:14",
    ]);
    expect(planted.join("\n")).toContain("'onBookingUpdat' does not exist");
    expect(planted.join("\n")).toContain("Property 'stauts' does not exist");
    expect(result.compiled).toBeGreaterThanOrEqual(50);
    expect(result.fragments - 1).toBeLessThanOrEqual(3);
    console.log(
      `${result.compiled} snippets of ${result.documents} documents compiled in ${(result.ms / 1000).toFixed(1)} s`,
    );
  });
});

describe("markdownSnippets", () => {
  it("reads the marker on the line above a block, and refuses one it does not know", () => {
    const text = "<!-- snippet: file octo.config.ts -->\n```ts\nexport default 1;\n```\n";
    expect(markdownSnippets(text)).toEqual([
      { line: 3, code: "export default 1;", fragment: false, file: "octo.config.ts" },
    ]);
    expect(() => markdownSnippets("<!-- snippet: fragmnet -->\n```ts\nx\n```\n")).toThrow(
      "unknown snippet marker",
    );
  });
});
