// App Router, Edge runtime: POST /webhooks/octo-edge (core's edge build: no zod on this path).
import { octo } from "../../../lib/webhooks";

export const runtime = "edge";
export const POST = (request: Request) => octo().fetch(request);
