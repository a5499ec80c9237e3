// App Router, Node.js runtime: POST /webhooks/octo. Next answers other methods 405 by itself.
import { octo } from "../../../lib/webhooks";

export const POST = (request: Request) => octo().fetch(request);
