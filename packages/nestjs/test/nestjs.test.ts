import { testFramework } from "@octo-webhooks/conformance";
import { nestjsFrameworks } from "@octo-webhooks/conformance/frameworks/nestjs";

for (const framework of nestjsFrameworks) testFramework(framework);
