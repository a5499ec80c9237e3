import { nestjsFrameworks } from "../../../conformance/frameworks/nestjs.ts";
import { testFramework } from "../../../conformance/index.ts";

for (const framework of nestjsFrameworks) testFramework(framework);
