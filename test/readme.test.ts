// The README's own promises, checked: each quickstart snippet is complete (it imports and defines all it
// uses), the warnings a new user needs are where they bite, and figures say what they assume. The
// snippets are compiled for real by `pnpm test:new-user` (scripts/new-user.mjs), from packed tarballs,
// and with every other block of the docs, against the workspace, by test/snippets.test.ts.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readmeSnippets } from "../scripts/readme-snippets.mjs";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const coreReadme = readFileSync(new URL("../packages/core/README.md", import.meta.url), "utf8");
const snippets = readmeSnippets(readme);

describe("the README's quickstart snippets", () => {
  it("are all found, one per receiver, and the Types snippet", () => {
    expect(snippets.map((s) => s.title)).toEqual([
      "Express",
      "Fastify",
      "Hono on Node",
      "Hono on Cloudflare Workers",
      "Koa",
      "AWS Lambda",
      "Anything else",
      "Types",
    ]);
  });

  it.each(snippets.map((s) => [s.title, s.code] as const))(
    "%s: imports what it calls and reuses nothing",
    (_title, code) => {
      // names of another snippet, passed as shorthand properties (`auth, onBookingUpdate`), are the trap
      expect(code).not.toMatch(/[{,]\s*(auth|onBookingUpdate|onAvailabilityUpdate)\s*[,}]/);
      expect(code).toMatch(/^import [\s\S]*? from "@octo-webhooks\/[a-z-]+";/m);
      for (const call of ["octoWebhooks(", "octoWebhooksHandler(", "createOctoWebhooks("]) {
        if (code.includes(call) || code.includes(`register(${call.slice(0, -1)}`)) {
          expect(code, `${call} is imported`).toMatch(
            new RegExp(`import \\{[^}]*\\b${call.slice(0, -1)}\\b`),
          );
        }
      }
    },
  );
});

describe("the lines a new user needs", () => {
  it("warns in bold against a body parser in front, in the quickstart", () => {
    const quickstart = readme.slice(readme.indexOf("## Quickstart"), readme.indexOf("## Features"));
    expect(quickstart).toContain("**Mount the receiver before `express.json()` (or any body parser).**");
  });

  it("says in Status codes that an endpoint without auth is open, and how refusals are logged", () => {
    const status = readme.slice(readme.indexOf("## Status codes"), readme.indexOf("## Auth"));
    expect(status).toContain(
      '| no `auth` configured | 200 to anyone: the receiver warns once that the endpoint is open (`auth: "none"` says it is on purpose) |',
    );
    expect(status).toContain("Refusals (401, 400, 413, 415...) are logged at `warn`");
  });

  it("has one table of what path is relative to, a row per adapter", () => {
    const section = readme.slice(readme.indexOf("### `path`"), readme.indexOf("### Types"));
    for (const adapter of ["Express", "Fastify", "Hono", "Koa", "AWS Lambda"]) {
      expect(section).toMatch(new RegExp(`^\\| ${adapter} \\|`, "m"));
    }
  });

  it("says the Worker figure is minified, and what an unminified deploy ships", () => {
    expect(readme).toMatch(/\d+(\.\d)? KB gzip \*\*minified\*\*/);
    expect(readme).toContain("`wrangler deploy` without `--minify`");
  });

  it("names the types users import to write handlers apart", () => {
    const types = readme.slice(readme.indexOf("### Types"), readme.indexOf("## Features"));
    for (const name of [
      "BookingUpdateEvent",
      "HandlerContext",
      "AuthConfig",
      "BookingUpdateHandler",
      "DiffEntry",
      "WithVendorFields",
    ]) {
      expect(types).toContain(name);
    }
  });

  it("says next to the lifecycle table that every handler runs again on a retry", () => {
    const table = coreReadme.indexOf("What fires for each `(diff, status)`");
    const note = coreReadme.indexOf(
      "**When one handler fails, every handler of the delivery runs again on the retry**",
    );
    expect(table).toBeGreaterThan(0);
    expect(note).toBeGreaterThan(table);
    expect(note - table).toBeLessThan(2500);
    expect(coreReadme.slice(note, note + 400)).toContain("context.deliveryKey");
  });
});
