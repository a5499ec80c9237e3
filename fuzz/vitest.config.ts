import { project } from "../vitest.shared.ts";

export default project("fuzz", {
  include: ["*.test.ts"],
  testTimeout: Number(process.env.FUZZ_TIMEOUT_MS ?? 300_000),
});
