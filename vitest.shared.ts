import { defineProject, type ViteUserConfig } from "vitest/config";

const conditions = ["@octo-webhooks/source"];

/** The test settings every package shares: its sources resolved through the `@octo-webhooks/source` export condition. */
export function project(name: string, extra: ViteUserConfig["test"] = {}) {
  return defineProject({
    resolve: { conditions: [...conditions, "module", "node", "import", "default"] },
    // vitest hands these to Node as `--conditions` for every require() too: "import" there would make
    // CommonJS packages load the ESM build of dual packages (express's router gets is-promise's namespace)
    ssr: {
      resolve: { conditions: [...conditions, "node"], externalConditions: conditions },
    },
    test: {
      name,
      include: ["test/**/*.test.ts", "src/**/*.test.ts"],
      testTimeout: 20_000,
      hookTimeout: 30_000,
      ...extra,
    },
  });
}
