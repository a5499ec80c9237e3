import { packageBuild } from "../../tsup.shared.ts";

// a command, not a library: one ESM file with its shebang, no types
export default packageBuild({ cli: "src/cli.ts" }, { format: ["esm"], dts: false });
