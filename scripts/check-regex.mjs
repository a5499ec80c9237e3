#!/usr/bin/env node
// No regex that can backtrack super-linearly (ReDoS): eslint-plugin-regexp's two safety rules over every
// package's sources (and the CLI's inspector UI), regex literals and `new RegExp("...")` alike, and this
// fails listing each finding. Only these rules run: style is biome's. The configuration is here, not in
// an eslint.config file, so that no editor or other tool picks up a second linter. Files or globs given
// as arguments are checked instead.
import path from "node:path";
import { fileURLToPath } from "node:url";
import typescriptParser from "@typescript-eslint/parser";
import { ESLint } from "eslint";
import regexp from "eslint-plugin-regexp";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const started = performance.now();

const SOURCES = [
  "packages/*/src/**/*.{ts,tsx,mts,cts}",
  "queue-shared/*.ts",
  "packages/cli/inspector-ui/**/*.{ts,tsx}",
];
// "potential": a regex whose use this cannot see (exported, passed on) is judged as if it were searched
// in hostile text, not skipped
const RULES = {
  // a regex whose own backtracking is super-linear on some input (`/^(a+)+$/`, `/(\w|\d)*x/`)
  "regexp/no-super-linear-backtracking": ["error", { report: "potential" }],
  // a regex that, tried at each position of a string (search, replace, split, an unanchored test), is
  // super-linear over the whole string (`/a+b/` on "aaaa..."); fragments (`.source` used in another
  // regex) are checked too
  "regexp/no-super-linear-move": ["error", { report: "potential", ignorePartial: false }],
};

const eslint = new ESLint({
  cwd: root,
  overrideConfigFile: true,
  overrideConfig: [
    { ignores: ["**/node_modules/**", "**/dist/**"] },
    {
      files: ["**/*.{ts,tsx,mts,cts}"],
      languageOptions: { parser: typescriptParser, sourceType: "module" },
      // no `eslint-disable` comment in a source can silence the check
      linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: "off" },
      plugins: { regexp },
      rules: RULES,
    },
  ],
});

const patterns = process.argv.length > 2 ? process.argv.slice(2) : SOURCES;
const results = await eslint.lintFiles(patterns);
const findings = [];
for (const result of results) {
  for (const message of result.messages) {
    const where = `${path.relative(root, result.filePath)}:${message.line}:${message.column}`;
    // a file that does not parse is a failure too (its regexes went unchecked), and so is an
    // `eslint-disable` comment (ignored)
    const what = message.ruleId ?? (message.fatal ? "parse error" : "eslint");
    findings.push(`  ${where}  ${what}: ${message.message}`);
  }
}
const seconds = ((performance.now() - started) / 1000).toFixed(1);
if (findings.length > 0) {
  console.error(
    `${findings.length} regex finding${findings.length === 1 ? "" : "s"} (super-linear backtracking, ReDoS):`,
  );
  for (const finding of findings) console.error(finding);
  console.error(`(${results.length} files, ${seconds}s)`);
  process.exit(1);
}
console.log(`no super-linear regexes: ${results.length} files, ${seconds}s`);
