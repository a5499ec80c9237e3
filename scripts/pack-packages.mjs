// Packs every publishable package the way `pnpm publish` would (pnpm applies `publishConfig`, so the
// tarball's `exports` has no source condition). Shared by `pnpm lint:pkg` and test/packaging.test.ts.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const SOURCE_CONDITION = "@octo-webhooks/source";

/**
 * The packages under `packages/` that are published (not `private`), sorted by folder name.
 * @param {string} root the repository root
 * @returns {{ dir: string, path: string, manifest: Record<string, any> }[]}
 */
export function publishablePackages(root) {
  return readdirSync(join(root, "packages"))
    .sort()
    .map((dir) => {
      const path = join(root, "packages", dir);
      return { dir, path, manifest: JSON.parse(readFileSync(join(path, "package.json"), "utf8")) };
    })
    .filter(({ manifest }) => !manifest.private);
}

/** Every file the published manifest points at (exports without the source condition, main, bin...). */
function publishedTargets(manifest) {
  const targets = new Set();
  const walk = (value) => {
    if (typeof value === "string") targets.add(value);
    else if (value !== null && typeof value === "object") {
      for (const [key, inner] of Object.entries(value)) if (key !== SOURCE_CONDITION) walk(inner);
    }
  };
  walk(manifest.publishConfig?.exports ?? manifest.exports);
  walk([manifest.main, manifest.module, manifest.types, manifest.bin].filter(Boolean));
  return [...targets];
}

/**
 * Fails with what to do when a package's build output is missing, instead of packing a broken tarball.
 * @param {{ dir: string, path: string, manifest: Record<string, any> }} pkg
 */
export function assertBuilt({ dir, path, manifest }) {
  for (const target of publishedTargets(manifest)) {
    // "./schemas/*.json": the folder must be there
    const file = target.includes("*") ? target.slice(0, target.indexOf("*")) : target;
    if (!existsSync(join(path, file))) {
      throw new Error(
        `${manifest.name}: packages/${dir}/${target.replace(/^\.\//, "")} is missing; ` +
          "build first (`pnpm build`; `pnpm test` builds before it tests)",
      );
    }
  }
}

/**
 * Packs every publishable package into `destination` with one `pnpm pack` run.
 * @param {string} root the repository root
 * @param {string} destination a folder for the tarballs
 * @returns {{ name: string, dir: string, tarball: string }[]}
 */
export function packPackages(root, destination) {
  const packages = publishablePackages(root);
  for (const pkg of packages) assertBuilt(pkg);
  mkdirSync(destination, { recursive: true });
  const filters = packages.flatMap(({ dir }) => ["--filter", `./packages/${dir}`]);
  const output = execFileSync(
    "npx",
    ["-y", "pnpm@12.4.2", "-r", ...filters, "pack", "--pack-destination", destination, "--json"],
    { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
  );
  const parsed = JSON.parse(output);
  const packed = Array.isArray(parsed) ? parsed : [parsed];
  return packages.map(({ dir, manifest }) => {
    const entry = packed.find((p) => p.name === manifest.name);
    if (!entry) throw new Error(`${manifest.name}: pnpm pack produced no tarball`);
    return { name: manifest.name, dir, tarball: entry.filename };
  });
}
