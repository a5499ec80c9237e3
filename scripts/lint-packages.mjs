#!/usr/bin/env node
// `pnpm lint:pkg`: packs every publishable package the way it is published (pnpm applies
// `publishConfig`), then runs publint and arethetypeswrong on the tarball.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const packagesDir = join(root, "packages");
const bin = (name) => join(root, "node_modules", ".bin", name);
const out = mkdtempSync(join(tmpdir(), "octo-pack-"));
let failed = 0;

for (const dir of readdirSync(packagesDir).sort()) {
  const manifest = JSON.parse(readFileSync(join(packagesDir, dir, "package.json"), "utf8"));
  if (manifest.private) continue;
  const cwd = join(packagesDir, dir);
  console.log(`\n== ${manifest.name}`);
  try {
    const packed = execFileSync("npx", ["-y", "pnpm@12.4.2", "pack", "--pack-destination", out, "--json"], {
      cwd,
      encoding: "utf8",
    });
    const tarball = JSON.parse(packed).filename;
    // lint exactly what was packed: the extracted tarball
    const extracted = join(out, dir);
    mkdirSync(extracted);
    execFileSync("tar", ["-xzf", tarball, "-C", extracted]);
    execFileSync(bin("publint"), ["run", join(extracted, "package"), "--strict", "--pack", "false"], {
      stdio: "inherit",
    });
    execFileSync(bin("attw"), [tarball, "--format", "table-flipped"], { cwd, stdio: "inherit" });
  } catch {
    failed++;
    console.error(`${manifest.name}: package checks failed`);
  }
}
rmSync(out, { recursive: true, force: true });
if (failed > 0) process.exit(1);
