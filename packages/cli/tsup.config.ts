import { build } from "tsup";
import { packageBuild } from "../../tsup.shared.ts";

// a command, not a library: one ESM file with its shebang, no types; then the `dev` inspector's page
// (inspector-ui/, Preact) bundled into dist/inspector/inspector.js and .css, served by the CLI (no CDN)
export default packageBuild(
  { cli: "src/cli.ts" },
  {
    format: ["esm"],
    dts: false,
    onSuccess: async () => {
      await build({
        config: false,
        entry: { inspector: "inspector-ui/main.tsx" },
        outDir: "dist/inspector",
        format: ["iife"],
        platform: "browser",
        target: "es2022",
        minify: true,
        sourcemap: false,
        dts: false,
        clean: false,
        silent: true,
        noExternal: [/.*/],
        outExtension: () => ({ js: ".js" }),
        esbuildOptions: (options) => {
          options.jsx = "automatic";
          options.jsxImportSource = "preact";
        },
      });
    },
  },
);
