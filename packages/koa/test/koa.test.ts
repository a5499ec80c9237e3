import { testFramework } from "@octo-webhooks/conformance";
import { koaFrameworks } from "@octo-webhooks/conformance/frameworks/koa";

for (const framework of koaFrameworks) testFramework(framework);
