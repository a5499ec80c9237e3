import { webhookUrl } from "@octo-webhooks/client";
import { type Command, Option } from "commander";
import { CliError } from "../output.ts";

/** The options of `create` and `update` that make the URL. */
export interface UrlOptions {
  url?: string;
  user?: string;
  pass?: string;
}

/**
 * `--url` (`description`: where the supplier sends), then `next`, both required by `create`, then
 * `--user`/`--pass` that go into the URL.
 */
export function withUrl(command: Command, required: boolean, description: string, next: Option): Command {
  const url = new Option("--url <url>", description);
  if (required) {
    url.makeOptionMandatory();
    next.makeOptionMandatory();
  }
  return command
    .addOption(url)
    .addOption(next)
    .option("--user <username>", "HTTP Basic credentials the supplier will send: username")
    .option("--pass <password>", "... and password (or OCTO_HOOK_PASS); encoded into the URL");
}

/**
 * `--url` with `--user`/`--pass` (or OCTO_HOOK_PASS) encoded into it, as `webhooks` and `notifications`
 * take them; `undefined` without `--url`. Credentials need both halves, and a URL to go into.
 */
function urlWithCredentials(options: UrlOptions): string | undefined {
  const password = options.pass ?? (options.user !== undefined ? process.env.OCTO_HOOK_PASS : undefined);
  if ((options.user === undefined) !== (password === undefined)) {
    throw new CliError("give both --user and --pass (or neither)");
  }
  if (options.url === undefined) {
    if (options.user !== undefined) {
      throw new CliError("--user and --pass need --url (credentials are part of the URL)");
    }
    return undefined;
  }
  return options.user !== undefined && password !== undefined
    ? webhookUrl(options.url, { username: options.user, password })
    : options.url;
}

/** `fields` without the ones left `undefined`. */
type Given<F> = { [K in keyof F]?: Exclude<F[K], undefined> };

/**
 * What `create` sends, or `update`'s patch, of a webhook or a subscription: the URL (credentials in
 * it), then each of the resource's `fields` whose option was given.
 */
export function resourceFields<F extends object>(
  options: UrlOptions,
  fields: F,
): { url?: string } & Given<F> {
  const patch: Record<string, unknown> = {};
  const url = urlWithCredentials(options);
  if (url !== undefined) patch.url = url;
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) patch[name] = value;
  return patch as { url?: string } & Given<F>;
}
