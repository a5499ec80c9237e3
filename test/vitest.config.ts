import { project } from "../vitest.shared.ts";

// Release checks at the repository's root: the published tarballs installed into a scratch project
// (needs the build, which `pnpm test` runs first) and `changeset version` on a scratch copy.
export default project("release", { include: ["*.test.ts"], hookTimeout: 600_000 });
