import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI, cli, expectNoStack } from "./helpers.ts";

const COMMANDS = [
  [],
  ["trigger"],
  ["listen"],
  ["webhooks"],
  ["webhooks", "list"],
  ["webhooks", "create"],
  ["webhooks", "update"],
  ["webhooks", "delete"],
  ["webhooks", "sync"],
  ["mock-supplier"],
  ["deliveries"],
  ["deliveries", "list"],
  ["deliveries", "show"],
  ["deliveries", "replay"],
  ["inspect"],
];

describe("octo-webhooks", () => {
  it("is an executable with a node shebang", () => {
    expect(readFileSync(CLI, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, "..", "package.json"), "utf8"));
    expect(pkg.bin).toEqual({ "octo-webhooks": "./dist/cli.js" });
  });

  it.each(COMMANDS.map((c) => [c.join(" ") || "(root)", c]))(
    "%s --help prints its usage and exits 0",
    async (_name, command) => {
      const { code, stdout, stderr } = await cli([...(command as string[]), "--help"]);
      expect(stderr).toBe("");
      expect(code).toBe(0);
      expect(stdout).toMatch(
        new RegExp(`^Usage: octo-webhooks${(command as string[]).map((c) => ` ${c}`).join("")} `),
      );
    },
  );

  it("--version prints the package version", async () => {
    const { version } = JSON.parse(readFileSync(join(import.meta.dirname, "..", "package.json"), "utf8"));
    expect(await cli(["--version"])).toEqual({ code: 0, stdout: `${version}\n`, stderr: "" });
  });

  it("a usage mistake exits 2 with a one-line reason and a hint, no stack", async () => {
    for (const args of [
      ["nope"],
      ["trigger", "transfer_update", "--to", "http://x"],
      ["trigger", "booking_update"],
      ["listen", "--port", "abc"],
      ["deliveries", "list", "--redis", "redis://127.0.0.1:1", "--outcome", "gone"],
      ["deliveries", "list", "--redis", "redis://127.0.0.1:1", "--since", "yesterday"],
      ["deliveries", "list", "--redis", "redis://127.0.0.1:1", "--limit", "0"],
    ]) {
      const { code, stdout, stderr } = await cli(args);
      expect(code, args.join(" ")).toBe(2);
      expect(stdout).toBe("");
      expect(stderr.split("\n")[0]).toMatch(/^error: /);
      expect(stderr).toContain("(add --help for usage)");
      expectNoStack(stderr);
    }
  });

  it("colours only when asked: never without a TTY, with FORCE_COLOR, never with NO_COLOR", async () => {
    const plain = await cli(["webhooks", "list"]);
    expect(plain.stderr).toBe(
      "octo-webhooks: missing --base-url (or OCTO_BASE_URL), e.g. https://api.ventrata.com/octo\n",
    );
    const forced = await cli(["webhooks", "list"], { FORCE_COLOR: "1" });
    expect(forced.stderr).toContain("\u001b[31m");
    const refused = await cli(["webhooks", "list"], { FORCE_COLOR: "1", NO_COLOR: "1" });
    expect(refused.stderr).toBe(plain.stderr);
    expect([plain.code, forced.code, refused.code]).toEqual([1, 1, 1]);
  });
});
