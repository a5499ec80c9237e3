// What @octo-webhooks/bullmq and @octo-webhooks/postgres share; bundled into each at build, never
// published on its own (a fix here reaches both queues at once).
export { acceptanceLog } from "./acceptance-log.ts";
export { createHeaderForwarding } from "./forward-headers.ts";
export { activeTraceContext, inProcessSpan, loadTraceApi, type ProcessedJob } from "./trace-context.ts";
