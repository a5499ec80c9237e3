import { defineConfig, type Options } from "tsup";

/** One build for every publishable package: ESM + CJS + .d.ts, Node 20 and Web runtimes. */
export function packageBuild(entry: string[] | Record<string, string>, extra: Options = {}) {
  return defineConfig({
    entry,
    format: ["esm", "cjs"],
    dts: true,
    clean: true,
    sourcemap: true,
    target: "es2022",
    treeshake: true,
    splitting: false,
    ...extra,
  });
}
