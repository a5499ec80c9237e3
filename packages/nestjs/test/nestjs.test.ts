import { nestjsFrameworks } from "@octo-webhooks/conformance/frameworks/nestjs";
import { testFramework } from "@octo-webhooks/conformance";

for (const framework of nestjsFrameworks) testFramework(framework);
