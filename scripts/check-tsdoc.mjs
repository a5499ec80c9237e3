#!/usr/bin/env node
// Part of `pnpm run docs`: every public export of every published library has TSDoc, and every
// function, class and constant among them one `@example`. Public exports are what the `exports` map's
// `@octo-webhooks/source` condition points at, read with the TypeScript compiler through each
// package's own tsconfig. It also checks that typedoc.json documents every such package, so a new
// package cannot be left out of the API reference by accident.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = fileURLToPath(new URL("..", import.meta.url));
const SOURCE_CONDITION = "@octo-webhooks/source";
const problems = [];

/** Every source file an `exports` map reaches through the source condition (edge variants included). */
function sourceEntries(exportsMap) {
  const found = new Set();
  const walk = (value, underSource) => {
    if (typeof value === "string") {
      if (underSource && /\.tsx?$/.test(value)) found.add(value);
    } else if (value !== null && typeof value === "object") {
      for (const [key, inner] of Object.entries(value)) walk(inner, underSource || key === SOURCE_CONDITION);
    }
  };
  walk(exportsMap, false);
  return [...found];
}

const libraries = [];
for (const dir of readdirSync(join(root, "packages")).sort()) {
  const packageDir = join(root, "packages", dir);
  const manifest = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8"));
  if (manifest.private) continue;
  const entries = sourceEntries(manifest.exports ?? {});
  if (entries.length > 0) libraries.push({ dir, packageDir, name: manifest.name, entries });
}

// typedoc.json must list every library, as an entry point and as a package that must be documented
const typedoc = JSON.parse(readFileSync(join(root, "typedoc.json"), "utf8"));
for (const { dir, name } of libraries) {
  if (!typedoc.entryPoints?.includes(`packages/${dir}`)) {
    problems.push(`typedoc.json: add "packages/${dir}" to entryPoints (${name} has public exports)`);
  }
  if (!typedoc.packagesRequiringDocumentation?.includes(name)) {
    problems.push(`typedoc.json: add "${name}" to packagesRequiringDocumentation`);
  }
}

const hasDoc = (declaration) =>
  ts.getJSDocCommentsAndTags(declaration).some((node) => ts.isJSDoc(node) && node.comment !== undefined);
const hasExample = (declaration) =>
  ts.getJSDocTags(declaration).some((tag) => tag.tagName.text === "example");

for (const { packageDir, name, entries } of libraries) {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(packageDir, "tsconfig.json"),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
      },
    },
  );
  const entryFiles = entries.map((entry) => join(packageDir, entry));
  const program = ts.createProgram({ rootNames: entryFiles, options: config.options });
  const checker = program.getTypeChecker();
  const seen = new Set();
  for (const entryFile of entryFiles) {
    const source = program.getSourceFile(entryFile);
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    if (!moduleSymbol) {
      problems.push(`${name}: cannot read ${relative(root, entryFile)}`);
      continue;
    }
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      if (seen.has(symbol)) continue;
      seen.add(symbol);
      const declarations = symbol.declarations ?? [];
      const where = declarations[0]
        ? `${relative(root, declarations[0].getSourceFile().fileName)}`
        : relative(root, entryFile);
      const label = `${name}: \`${exported.name}\` (${where})`;
      const needsExample =
        symbol.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Class | ts.SymbolFlags.Variable);
      if (needsExample) {
        if (!declarations.some(hasExample)) problems.push(`${label} has no @example`);
      } else if (!declarations.some(hasDoc)) {
        problems.push(`${label} has no doc comment`);
      }
    }
  }
}

if (problems.length > 0) {
  console.error(`TSDoc check: ${problems.length} problem(s)\n${problems.map((p) => `- ${p}`).join("\n")}`);
  process.exit(1);
}
console.log(`TSDoc check: every public export of ${libraries.map((l) => l.name).join(", ")} is documented`);
