// What users install: every publishable package is packed with pnpm (so `publishConfig` applies), all
// the tarballs are installed together with npm into a scratch project, and each entry point is loaded
// there with require() and import(). Each must expose exactly what its source exports. Peer frameworks
// are not installed (`--legacy-peer-deps`): adapters import them as types only, and this proves it. The
// peers a package does load at run time (`RUNTIME_PEERS`) are installed at the versions its tests pin.
// Optional peers (`OPTIONAL_PEERS`: `@opentelemetry/api`) are installed only after every other entry
// was loaded without them, which proves that nothing but the entries that need them imports them.
import { execFileSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PublishablePackage, packPackages, publishablePackages } from "../scripts/pack-packages.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const SOURCE_CONDITION = "@octo-webhooks/source";
/** Conditions bundlers for Workers and edge runtimes resolve: core has one build for them all. */
const EDGE_CONDITIONS = ["workerd", "worker", "edge-light"];

interface Entry {
  /** What users write: `@octo-webhooks/core`, `@octo-webhooks/core/schemas`... */
  specifier: string;
  /** The source file it is built from. */
  source: string;
}

/** Every JavaScript entry of a package's `exports`, with the source it is built from. */
function entriesOf({ path, manifest }: PublishablePackage): Entry[] {
  const exportsMap = (manifest.exports ?? {}) as Record<string, unknown>;
  const entries: Entry[] = [];
  for (const [subpath, target] of Object.entries(exportsMap)) {
    // "./package.json" and "./schemas/*.json" are plain files
    if (typeof target !== "object" || target === null) continue;
    const source = (target as Record<string, unknown>)[SOURCE_CONDITION] as string | Record<string, string>;
    const main = typeof source === "string" ? source : source.default;
    if (main === undefined) throw new Error(`${manifest.name}: ${subpath} has no source condition`);
    entries.push({
      specifier: subpath === "." ? manifest.name : `${manifest.name}/${subpath.slice(2)}`,
      source: join(path, main),
    });
  }
  return entries;
}

type Loaded = Record<string, string[] | { error: string }>;

/** Loads each specifier in one Node process in the scratch project; answers each one's export names. */
function load(cwd: string, format: "require" | "import", specifiers: string[], conditions: string[] = []) {
  const get = format === "require" ? "require(s)" : "await import(s)";
  const code = `const out = {};
for (const s of JSON.parse(process.argv[1])) {
  try { out[s] = Object.keys(${get}).sort(); } catch (e) { out[s] = { error: String(e && e.message).split("\\n")[0] }; }
}
console.log(JSON.stringify(out));`;
  const args = [
    ...conditions.map((condition) => `--conditions=${condition}`),
    ...(format === "import" ? ["--input-type=module"] : []),
    "-e",
    code,
    JSON.stringify(specifiers),
  ];
  return JSON.parse(execFileSync(process.execPath, args, { cwd, encoding: "utf8" })) as Loaded;
}

async function sourceExports(file: string): Promise<string[]> {
  return Object.keys(await import(pathToFileURL(file).href)).sort();
}

const packages = publishablePackages(root);
const libraries = packages
  .map((pkg) => ({ pkg, entries: entriesOf(pkg) }))
  .filter(({ entries }) => entries.length > 0);
const specifiers = libraries.flatMap(({ entries }) => entries.map((entry) => entry.specifier));

let workDir: string;
let project: string;
let required: Loaded;
let imported: Loaded;

/** Peers imported at run time, not only as types. */
const RUNTIME_PEERS: Record<string, string[]> = {
  "@octo-webhooks/bullmq": ["bullmq", "ioredis"],
  "@octo-webhooks/nestjs": ["@nestjs/common", "@nestjs/core", "reflect-metadata", "rxjs"],
};

/** Entries that import an optional peer dependency, loaded once it is installed; the others never need it. */
const OPTIONAL_PEERS: Record<string, string> = { "@octo-webhooks/core/otel": "@opentelemetry/api" };

function runtimePeers(): string[] {
  return Object.entries(RUNTIME_PEERS).flatMap(([name, peers]) => {
    const dir = join(root, "packages", name.replace("@octo-webhooks/", ""));
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    return peers.map((peer) => `${peer}@${manifest.devDependencies[peer]}`);
  });
}

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), "octo-packaging-"));
  const tarballs = packPackages(root, join(workDir, "tarballs")).map((packed) => packed.tarball);
  project = join(workDir, "project");
  mkdirSync(project);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "scratch", private: true }));
  execFileSync(
    "npm",
    [
      "install",
      "--no-audit",
      "--no-fund",
      "--legacy-peer-deps",
      "--ignore-scripts",
      "--loglevel=error",
      ...tarballs,
      ...runtimePeers(),
    ],
    { cwd: project, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
  );
  const plain = specifiers.filter((specifier) => OPTIONAL_PEERS[specifier] === undefined);
  optionalPeerAbsent = [...new Set(Object.values(OPTIONAL_PEERS))].every(
    (peer) => !existsSync(join(project, "node_modules", peer)),
  );
  required = load(project, "require", plain);
  imported = load(project, "import", plain);
  const core = JSON.parse(readFileSync(join(root, "packages", "core", "package.json"), "utf8"));
  const peers = [...new Set(Object.values(OPTIONAL_PEERS))].map(
    (peer) => `${peer}@${core.devDependencies[peer]}`,
  );
  execFileSync(
    "npm",
    ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error", ...peers],
    {
      cwd: project,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const withPeers = specifiers.filter((specifier) => OPTIONAL_PEERS[specifier] !== undefined);
  Object.assign(required, load(project, "require", withPeers));
  Object.assign(imported, load(project, "import", withPeers));
});

let optionalPeerAbsent = false;

it("every entry but those of OPTIONAL_PEERS loads without its optional peers installed (@opentelemetry/api)", () => {
  expect(optionalPeerAbsent).toBe(true);
  expect(Object.keys(required).length).toBe(specifiers.length);
});

afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe.each(libraries)("$pkg.manifest.name", ({ entries }) => {
  it.each(entries)(
    "$specifier: require() and import() expose exactly what the source exports",
    async (entry) => {
      const expected = await sourceExports(entry.source);
      expect(expected.length).toBeGreaterThan(0);
      expect(required[entry.specifier]).toEqual(expected);
      expect(imported[entry.specifier]).toEqual(expected);
    },
  );
});

describe("installed manifests", () => {
  it.each(packages)("$manifest.name has no source condition and no workspace: range", ({ manifest }) => {
    const installed = readFileSync(join(project, "node_modules", manifest.name, "package.json"), "utf8");
    expect(installed).not.toContain(SOURCE_CONDITION);
    expect(installed).not.toContain("workspace:");
    expect(JSON.parse(installed).version).toBe(manifest.version);
  });
});

describe("@octo-webhooks/core", () => {
  const core = libraries.find(({ pkg }) => pkg.manifest.name === "@octo-webhooks/core");
  const main = core?.entries.find((entry) => entry.specifier === "@octo-webhooks/core");

  it.each(EDGE_CONDITIONS)(
    "resolves to its one build, without zod, under --conditions=%s",
    async (condition) => {
      if (main === undefined) throw new Error("core has no main entry");
      const loaded = load(project, "import", [main.specifier], [condition])[main.specifier];
      expect(loaded).toEqual(imported[main.specifier]);
      expect(loaded).not.toContain("BookingSchema");
    },
  );

  it("its main entry leaves zod out for every bundler, says what to do for strict validation, and takes strictValidation", () => {
    const code = `const { createOctoWebhooks } = await import("@octo-webhooks/core");
const out = {};
try { createOctoWebhooks({ validation: "strict" }); out.strict = "no error"; } catch (e) { out.strict = e.message; }
const { strictValidation } = await import("@octo-webhooks/core/schemas");
const answer = await createOctoWebhooks({ validation: strictValidation }).handle({ method: "POST", body: '{"booking":{"uuid":"u"}}' });
out.status = answer.status;
out.message = JSON.parse(answer.body).error.message;
console.log(JSON.stringify(out));`;
    for (const file of ["index.js", "index.cjs"]) {
      const source = readFileSync(
        join(project, "node_modules", "@octo-webhooks", "core", "dist", file),
        "utf8",
      );
      expect(source).not.toMatch(/from ["']zod|require\(["']zod/);
      expect(source).not.toContain("$ZodType");
    }
    const out = JSON.parse(
      execFileSync(process.execPath, ["--input-type=module", "-e", code], { cwd: project, encoding: "utf8" }),
    );
    expect(out.strict).toMatch(/@octo-webhooks\/core\/schemas/);
    expect(out.status).toBe(400);
    expect(out.message).toContain("booking.id");
    expect(out.message).toContain('(validation: "strict")');
  });

  it("ships its JSON Schema files, loadable with require() and import()", () => {
    const dir = join(project, "node_modules", "@octo-webhooks", "core", "schemas");
    const files = readdirSync(dir).filter((file) => file.endsWith(".json"));
    expect(files).toContain("booking-update.json");
    const specs = files.map((file) => `@octo-webhooks/core/schemas/${file}`);
    const code = `const out = {};
for (const s of JSON.parse(process.argv[1])) {
  const viaImport = (await import(s, { with: { type: "json" } })).default;
  out[s] = [viaImport.$schema, createRequire(import.meta.url)(s).$schema];
}
console.log(JSON.stringify(out));`;
    const loaded = JSON.parse(
      execFileSync(
        process.execPath,
        [
          "--no-warnings",
          "--input-type=module",
          "-e",
          `import { createRequire } from "node:module";\n${code}`,
          JSON.stringify(specs),
        ],
        { cwd: project, encoding: "utf8" },
      ),
    ) as Record<string, string[]>;
    for (const spec of specs) {
      expect(loaded[spec]).toEqual([
        "https://json-schema.org/draft/2020-12/schema",
        "https://json-schema.org/draft/2020-12/schema",
      ]);
    }
  });
});

describe("@octo-webhooks/cli", () => {
  const cli = packages.find(({ manifest }) => manifest.name === "@octo-webhooks/cli");

  it("installs the octo-webhooks command, which runs", () => {
    const bin = join(project, "node_modules", ".bin", "octo-webhooks");
    expect(execFileSync(bin, ["--version"], { cwd: project, encoding: "utf8" }).trim()).toBe(
      cli?.manifest.version,
    );
    const help = execFileSync(bin, ["--help"], {
      cwd: project,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
    });
    for (const command of ["trigger", "listen", "webhooks", "mock-supplier", "dev"])
      expect(help).toContain(command);
  });

  it("ships the dev inspector's page, built into dist/inspector", () => {
    const dir = join(project, "node_modules", "@octo-webhooks", "cli", "dist", "inspector");
    expect(readdirSync(dir).sort()).toEqual(["inspector.css", "inspector.js"]);
  });
});
