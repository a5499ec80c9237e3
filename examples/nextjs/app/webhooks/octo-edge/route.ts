// App Router, Edge runtime: POST /webhooks/octo-edge (core (one build, no zod): no zod on this path).
import { octo } from "../../../lib/webhooks";

export const runtime = "edge";
export const POST = (request: Request) => octo().fetch(request);
