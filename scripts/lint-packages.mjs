#!/usr/bin/env node
// `pnpm lint:pkg`: packs every publishable package the way it is published (pnpm applies
// `publishConfig`), then runs publint and arethetypeswrong on the tarball.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { packPackages } from "./pack-packages.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = (name) => join(root, "node_modules", ".bin", name);
const out = mkdtempSync(join(tmpdir(), "octo-pack-"));
let failed = 0;

try {
  for (const { name, dir, tarball } of packPackages(root, join(out, "tarballs"))) {
    console.log(`\n== ${name}`);
    try {
      // lint exactly what was packed: the extracted tarball
      const extracted = join(out, dir);
      mkdirSync(extracted);
      execFileSync("tar", ["-xzf", tarball, "-C", extracted]);
      execFileSync(bin("publint"), ["run", join(extracted, "package"), "--strict", "--pack", "false"], {
        stdio: "inherit",
      });
      execFileSync(bin("attw"), [tarball, "--format", "table-flipped"], { stdio: "inherit" });
    } catch {
      failed++;
      console.error(`${name}: package checks failed`);
    }
  }
} catch (error) {
  failed++;
  console.error(error instanceof Error ? error.message : error);
} finally {
  rmSync(out, { recursive: true, force: true });
}
if (failed > 0) process.exit(1);
