// What a receiver warns about once, at its first request: an endpoint open to anyone, and limits that a
// body parser in front of it makes moot.
import { PACKAGE_PREFIX } from "../errors/codes.ts";

/** Said once, at the first request, by a receiver without `auth`. */
export const OPEN_ENDPOINT_WARNING = `${PACKAGE_PREFIX} no \`auth\` is configured: this endpoint accepts deliveries from anyone. Give \`auth\` (for example { basic: { username, password } }), or \`auth: "none"\` to say it is on purpose`;

/** Said once by a receiver given `maxBodyBytes` or `bodyTimeoutMs` that gets bodies a parser already read. */
export const PRE_READ_WARNING = `${PACKAGE_PREFIX} the request body was already read by a body parser in front of the receiver (express.json()...): \`maxBodyBytes\` and \`bodyTimeoutMs\` cannot apply, the parser's own limits answer instead (Express: an HTML 413, or no answer to a stalled body). Mount octoWebhooks() before the body parser`;
