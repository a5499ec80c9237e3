import { project } from "../vitest.shared.ts";

// The crash, restart and outage scenarios: short forms by default, long forms with FAULTS_LONG=1
// (`pnpm test:faults`). Files run one after another: each starts several processes on a 2-core machine.
export default project("faults", {
  globalSetup: ["test/setup.ts"],
  fileParallelism: false,
  testTimeout: process.env.FAULTS_LONG === "1" ? 600_000 : 120_000,
});
