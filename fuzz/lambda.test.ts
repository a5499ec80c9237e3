// The aws-lambda adapter under fuzzing, behind each event source's stand-in (conformance/frameworks/lambda.ts):
// hostile requests become real API Gateway v1 / v2, Function URL and ALB events.
import { lambdaFrameworks } from "@octo-webhooks/conformance/frameworks/lambda";
import { fuzz, targetsOf } from "./harness.ts";

for (const framework of lambdaFrameworks) for (const target of targetsOf(framework)) fuzz(target);
