import { koaFrameworks } from "../../../conformance/frameworks/koa.ts";
import { testFramework } from "../../../conformance/index.ts";
import { testPackage } from "../../../conformance/package.ts";

for (const framework of koaFrameworks) testFramework(framework);

testPackage(new URL("..", import.meta.url).pathname);
