#!/usr/bin/env node
// The published packages' public API, pinned: one API Extractor report per typed entry of each package's
// `exports` (packages/<pkg>/api/<entry>.api.md), made from the built dist/*.d.ts.
//
//   node scripts/api-report.mjs            check: fails, naming what was added, removed or changed, when a
//                                          built package's API differs from its committed report
//   node scripts/api-report.mjs --update   rewrites the reports
//
// Build first (turbo run build). Every entry shares one TypeScript program, so all packages take one pass.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { CompilerState, Extractor, ExtractorConfig, ExtractorLogLevel } from "@microsoft/api-extractor";

// the TypeScript that API Extractor's program is made with (its own, not the repo's)
const ts = createRequire(createRequire(import.meta.url).resolve("@microsoft/api-extractor"))("typescript");
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const update = process.argv.includes("--update");
const started = performance.now();

// What a report pins is the exported names and their signatures; release tags (we use none) and
// TSDoc style are not part of that, so their messages are off. A type the API uses without exporting it
// (a helper such as `MaybeArray`) is written into the report, so that a change to it shows there too;
// API Extractor's note beside it is left out, since it names the build's hashed chunk file (any change
// anywhere in the package would otherwise change every report). Anything else (an export or a module that cannot be followed) fails.
const OFF = { logLevel: "none", addToApiReportFile: false };
const ERROR = { logLevel: "error", addToApiReportFile: false };
const messages = {
  compilerMessageReporting: { default: ERROR },
  extractorMessageReporting: {
    default: ERROR,
    "ae-missing-release-tag": OFF,
    "ae-extra-release-tag": OFF,
    "ae-different-release-tags": OFF,
    "ae-incompatible-release-tags": OFF,
    "ae-internal-missing-underscore": OFF,
    "ae-internal-mixed-release-tag": OFF,
    "ae-undocumented": OFF,
    "ae-unresolved-link": OFF,
    "ae-unresolved-inheritdoc-reference": OFF,
    "ae-unresolved-inheritdoc-base": OFF,
    "ae-cyclic-inherit-doc": OFF,
    "ae-misplaced-package-tag": OFF,
    "ae-setter-with-docs": OFF,
    "ae-forgotten-export": OFF,
  },
  tsdocMessageReporting: { default: OFF },
};

// the published .d.ts (ESM) files of one `exports` value; the .d.cts twins are the same declarations
function typesFiles(value, found = new Set()) {
  if (value && typeof value === "object") {
    for (const [condition, target] of Object.entries(value)) {
      if (condition === "types" && typeof target === "string" && target.endsWith(".d.ts")) found.add(target);
      else typesFiles(target, found);
    }
  }
  return found;
}

function entries() {
  const list = [];
  for (const dir of readdirSync(path.join(root, "packages")).sort()) {
    const packageDir = path.join(root, "packages", dir);
    const packageJsonPath = path.join(packageDir, "package.json");
    if (!existsSync(packageJsonPath)) continue;
    const packageJson = JSON.parse(readFileSync(packageJsonPath, "utf8"));
    if (packageJson.private === true) continue;
    const files = new Set();
    for (const value of Object.values(packageJson.exports ?? {})) typesFiles(value, files);
    for (const file of [...files].sort()) {
      list.push({
        dir,
        name: packageJson.name,
        packageDir,
        packageJsonPath,
        dts: path.join(packageDir, file),
        report: path.basename(file, ".d.ts"),
      });
    }
  }
  return list;
}

function configFor(entry, tempFolder) {
  return ExtractorConfig.prepare({
    configObject: {
      projectFolder: entry.packageDir,
      mainEntryPointFilePath: entry.dts,
      bundledPackages: [],
      newlineKind: "lf",
      compiler: {
        overrideTsconfig: {
          compilerOptions: {
            target: "ES2022",
            module: "NodeNext",
            moduleResolution: "NodeNext",
            lib: ["ES2023"],
            types: ["node"],
            strict: true,
            // every input is a .d.ts: the packages' own typecheck and build vouch for them, and checking
            // every dependency's typings would triple the time
            skipLibCheck: true,
          },
          files: [entry.dts],
        },
      },
      apiReport: {
        enabled: true,
        reportFileName: `${entry.report}.api.md`,
        reportFolder: path.join(entry.packageDir, "api"),
        reportTempFolder: path.join(tempFolder, entry.dir),
        // a type the API uses but does not export is pinned too, so a change to it shows
        includeForgottenExports: true,
      },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      messages,
    },
    configObjectFullPath: undefined,
    packageJsonFullPath: entry.packageJsonPath,
  });
}

// A report's declarations by name: each top-level statement of its ```ts block (a blank line, then an
// unindented line), without the report's comments and imports, keyed by the name it declares (overloads
// and merged declarations together). Names the API uses without exporting are there too, without `export`.
function declarations(reportText) {
  const byName = new Map();
  const block = reportText.split("```ts\n")[1]?.split("\n```")[0] ?? "";
  for (const chunk of block.split(/\n\n+(?=[^\s})\]])/)) {
    const lines = chunk
      .split("\n")
      .filter(
        (line) => !line.trimStart().startsWith("//") && !line.startsWith("import ") && line.trim() !== "",
      );
    if (lines.length === 0) continue;
    const text = lines.join("\n");
    for (const name of declaredNames(lines[0])) {
      byName.set(name, byName.has(name) ? `${byName.get(name)}\n${text}` : text);
    }
  }
  return byName;
}

function declaredNames(firstLine) {
  const reexport = firstLine.match(/^export (?:type )?\{([^}]*)\}/);
  if (reexport) {
    return reexport[1]
      .split(",")
      .map((part) =>
        part
          .trim()
          .split(/\s+as\s+/)
          .pop(),
      )
      .filter(Boolean);
  }
  const declared = firstLine.match(
    /^(?:export )?(?:declare )?(?:default )?(?:abstract )?(?:const enum|function|class|interface|type|const|let|var|enum|namespace) (\w+)/,
  );
  if (declared) return [declared[1]];
  const star = firstLine.match(/^export \* (?:as (\w+) )?from (.+);$/);
  if (star) return [star[1] ?? `* from ${star[2]}`];
  return [firstLine];
}

// The declared names each package exports from any of its entries. API Extractor looks at one entry at a
// time, so a type that the adapter entry uses and the main entry exports is "forgotten" to it; it is not
// to a user, who imports it from the main entry.
function exportedNames(program) {
  const checker = program.getTypeChecker();
  const byPackage = new Map();
  for (const entry of list) {
    const names = byPackage.get(entry.name) ?? new Set();
    byPackage.set(entry.name, names);
    const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(entry.dts));
    if (!moduleSymbol) continue;
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      names.add(target.getName());
    }
  }
  return byPackage;
}

// What the compiler would report, had the typings been checked (skipLibCheck): an import or export of a
// module that does not resolve, and an exported name that leads nowhere.
function unresolved(program) {
  const checker = program.getTypeChecker();
  const problems = new Map(list.map((entry) => [entry.name, []]));
  const at = (node) => {
    const file = node.getSourceFile();
    const { line } = file.getLineAndCharacterOfPosition(node.getStart());
    return `${path.relative(root, file.fileName)}:${line + 1}`;
  };
  for (const file of program.getSourceFiles()) {
    const owner = list.find((entry) =>
      file.fileName.startsWith(path.join(entry.packageDir, "dist") + path.sep),
    );
    if (!owner) continue;
    for (const statement of file.statements) {
      const specifier = statement.moduleSpecifier;
      if (specifier && ts.isStringLiteral(specifier) && !checker.getSymbolAtLocation(specifier)) {
        problems.get(owner.name).push(`cannot resolve module "${specifier.text}" (${at(statement)})`);
      }
    }
  }
  for (const entry of list) {
    const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(entry.dts));
    for (const exported of moduleSymbol ? checker.getExportsOfModule(moduleSymbol) : []) {
      if (!(exported.flags & ts.SymbolFlags.Alias)) continue;
      if (checker.getAliasedSymbol(exported).declarations?.length) continue;
      problems
        .get(entry.name)
        .push(`${entry.report}: export "${exported.getName()}" cannot be followed to a declaration`);
    }
  }
  return problems;
}

const forgotten = (message) => message.text.match(/^The symbol "([^"]+)" needs to be exported/)?.[1];

// the compared text of one name: whitespace-insensitive, so reformatting alone is not a change
const squash = (text) => text.replace(/\s+/g, " ").trim();

function differences(expected, actual) {
  const before = declarations(expected);
  const after = declarations(actual);
  // a type the API uses without exporting it is told as such
  const shown = (names, texts) =>
    names.map((name) => (/^export /m.test(texts.get(name)) ? name : `${name} (not exported)`));
  const added = [...after.keys()].filter((name) => !before.has(name));
  const removed = [...before.keys()].filter((name) => !after.has(name));
  const changed = [...after.keys()].filter(
    (name) => before.has(name) && squash(before.get(name)) !== squash(after.get(name)),
  );
  return { added: shown(added, after), removed: shown(removed, before), changed: shown(changed, after) };
}

const list = entries();
if (update) for (const entry of list) mkdirSync(path.join(entry.packageDir, "api"), { recursive: true });
const tempFolder = path.join(tmpdir(), `octo-api-report-${process.pid}`);
const missingBuild = list.filter((entry) => !existsSync(entry.dts));
if (missingBuild.length > 0) {
  for (const entry of missingBuild) {
    console.error(
      `${entry.name}: ${path.relative(root, entry.dts)} is missing: build first (turbo run build)`,
    );
  }
  process.exit(1);
}
const configs = list.map((entry) => configFor(entry, tempFolder));

const compilerState = CompilerState.create(configs[0], {
  additionalEntryPoints: list.map((entry) => entry.dts),
});
const exportedByPackage = exportedNames(compilerState.program);

// API Extractor cannot be trusted past these (an export that leads back to itself overflows its stack)
let failed = false;
for (const [name, problems] of unresolved(compilerState.program)) {
  for (const problem of new Set(problems)) console.error(`${name}: ${problem}`);
  if (problems.length > 0) failed = true;
}
if (failed) process.exit(1);

const seenCompilerMessages = new Set();
const stale = [];
process.on("exit", () => rmSync(tempFolder, { recursive: true, force: true }));
for (const [index, entry] of list.entries()) {
  const extractorConfig = configs[index];
  const problems = [];
  const result = Extractor.invoke(extractorConfig, {
    localBuild: update,
    compilerState,
    messageCallback: (message) => {
      message.handled = true;
      // the console's notices (report created, changed, copied): told below, with the names
      if (message.category === "console") return;
      if (message.logLevel !== ExtractorLogLevel.Error && message.logLevel !== ExtractorLogLevel.Warning)
        return;
      if (
        message.messageId === "ae-forgotten-export" &&
        exportedByPackage.get(entry.name).has(forgotten(message))
      )
        return;
      // the shared program reports its compiler errors to every entry: tell each once
      const where = message.sourceFilePath
        ? ` (${path.relative(root, message.sourceFilePath)}:${message.sourceFileLine})`
        : "";
      const line = `${message.messageId}: ${message.text}${where}`;
      if (message.category === "Compiler") {
        if (seenCompilerMessages.has(line)) return;
        seenCompilerMessages.add(line);
      }
      problems.push(line);
    },
  });
  const label = `${entry.name} (${entry.report})`;
  for (const problem of problems) console.error(`${label}: ${problem}`);
  if (problems.length > 0 || result.errorCount > 0) failed = true;
  if (update || !result.apiReportChanged) continue;

  const committed = path.join(entry.packageDir, "api", `${entry.report}.api.md`);
  const built = path.join(tempFolder, entry.dir, `${entry.report}.api.md`);
  const expected = existsSync(committed) ? readFileSync(committed, "utf8") : "";
  const { added, removed, changed } = differences(expected, readFileSync(built, "utf8"));
  const lines = [`${label}: the built API differs from ${path.relative(root, committed)}`];
  if (!existsSync(committed)) lines.push("  no committed report");
  if (added.length > 0) lines.push(`  added:   ${added.join(", ")}`);
  if (removed.length > 0) lines.push(`  removed: ${removed.join(", ")}`);
  if (changed.length > 0) lines.push(`  changed: ${changed.join(", ")}`);
  if (added.length + removed.length + changed.length === 0) lines.push("  (imports, comments or order only)");
  stale.push(lines.join("\n"));
}

// a report whose entry is gone (an export removed, a package made private)
const current = new Set(list.map((entry) => path.join(entry.packageDir, "api", `${entry.report}.api.md`)));
for (const dir of readdirSync(path.join(root, "packages")).sort()) {
  const apiDir = path.join(root, "packages", dir, "api");
  if (!existsSync(apiDir)) continue;
  for (const file of readdirSync(apiDir).filter((name) => name.endsWith(".api.md"))) {
    const report = path.join(apiDir, file);
    if (current.has(report)) continue;
    if (update) rmSync(report);
    else {
      const names = [...declarations(readFileSync(report, "utf8")).keys()];
      stale.push(`${path.relative(root, report)}: no such entry any more\n  removed: ${names.join(", ")}`);
    }
  }
}

const seconds = ((performance.now() - started) / 1000).toFixed(1);
const packages = new Set(list.map((entry) => entry.name)).size;
if (stale.length > 0) {
  console.error(stale.join("\n"));
  console.error("run pnpm api:update and commit the reports");
  failed = true;
}
if (update) console.log(`api reports written: ${list.length} entries of ${packages} packages in ${seconds}s`);
else console.log(`api check: ${list.length} entries of ${packages} packages in ${seconds}s`);
if (failed) process.exit(1);
