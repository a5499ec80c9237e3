// `pnpm changeset version` on a scratch copy of the workspace's manifests and changesets: it must
// succeed, keep every published package at one version (the fixed group), and never version or
// write a changelog for a private package (examples, bench).
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));

interface Manifest {
  name: string;
  version?: string;
  private?: boolean;
}

const files = execFileSync(
  "git",
  [
    "ls-files",
    "-co",
    "--exclude-standard",
    "--",
    ":(glob)**/package.json",
    "pnpm-workspace.yaml",
    ".changeset",
  ],
  { cwd: root, encoding: "utf8" },
)
  .split("\n")
  .filter((file) => file !== "" && existsSync(join(root, file)));
const manifests = files.filter((file) => file.endsWith("package.json") && file !== "package.json");
const read = (base: string, file: string) => JSON.parse(readFileSync(join(base, file), "utf8")) as Manifest;
const pending = readdirSync(join(root, ".changeset")).filter((f) => f.endsWith(".md") && f !== "README.md");

let scratch: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "octo-changesets-"));
  for (const file of [...files, "package.json"])
    cpSync(join(root, file), join(scratch, file), { recursive: true });
  execFileSync(process.execPath, [join(root, "node_modules", "@changesets", "cli", "bin.js"), "version"], {
    cwd: scratch,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
});

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

it("versions every published package together, and consumes the changesets", () => {
  const published = manifests.filter((file) => !read(root, file).private);
  expect(published.length).toBeGreaterThan(0);
  const versions = new Set(published.map((file) => read(scratch, file).version));
  expect([...versions]).toHaveLength(1);
  const before = read(root, published[0] as string).version;
  const after = [...versions][0];
  if (pending.length > 0) {
    expect(after).not.toBe(before);
    for (const file of published) expect(existsSync(join(scratch, dirname(file), "CHANGELOG.md"))).toBe(true);
  } else {
    expect(after).toBe(before);
  }
  expect(readdirSync(join(scratch, ".changeset")).filter((f) => pending.includes(f))).toEqual([]);
});

it("never versions a private package (examples, bench)", () => {
  const privates = manifests.filter((file) => read(root, file).private);
  expect(privates.map((file) => read(root, file).name)).toContain("@octo-webhooks/bench");
  for (const file of privates) {
    expect(readFileSync(join(scratch, file), "utf8")).toBe(readFileSync(join(root, file), "utf8"));
    expect(existsSync(join(scratch, dirname(file), "CHANGELOG.md"))).toBe(false);
  }
});
