import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");

describe("the package", () => {
  it("imports nothing from node: under src (it must run on Cloudflare Workers)", () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (path.endsWith(".ts")) files.push(path);
      }
    };
    walk(join(root, "src"));
    expect(files.length).toBeGreaterThan(5);
    const offenders = files.filter((file) =>
      /\bfrom\s+["'](node:|fs|path|crypto|buffer|stream|http|os|util)["'/]|require\(["']node:/.test(
        readFileSync(file, "utf8"),
      ),
    );
    expect(offenders).toEqual([]);
  });

  it("the build imports in Node both as ESM and as CJS", () => {
    expect(existsSync(join(root, "dist/index.js")), "run the build first (pnpm build)").toBe(true);
    const esm = execFileSync(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `import * as m from ${JSON.stringify(join(root, "dist/index.js"))}; console.log(typeof m.createOctoWebhooks, typeof m.BookingSchema.safeParse)`,
      ],
      { encoding: "utf8" },
    );
    const cjs = execFileSync(
      process.execPath,
      [
        "-e",
        `const m = require(${JSON.stringify(join(root, "dist/index.cjs"))}); console.log(typeof m.createOctoWebhooks, typeof m.BookingSchema.safeParse)`,
      ],
      { encoding: "utf8" },
    );
    expect(esm.trim()).toBe("function function");
    expect(cjs.trim()).toBe("function function");
  });
});

describe("the edge build", () => {
  it("leaves zod out, and says what to do for strict validation", async () => {
    const root = join(import.meta.dirname, "..");
    const edge = readFileSync(join(root, "dist/index.edge.js"), "utf8");
    expect(edge).not.toMatch(/from ["']zod/);
    expect(edge).not.toContain("$ZodType");
    const { createOctoWebhooks } = await import(join(root, "dist/index.edge.js"));
    expect(() => createOctoWebhooks({ validation: "strict" })).toThrow(/@octo-webhooks\/core\/schemas/);
    const { strictValidation } = await import(join(root, "dist/schemas.js"));
    const webhooks = createOctoWebhooks({ validation: strictValidation });
    const answer = await webhooks.handle({ method: "POST", body: '{"booking":{"uuid":"u"}}' });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body).error.message).toContain("booking.id");
  });
});
