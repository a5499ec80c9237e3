// A misspelt option is refused when the app starts, in this adapter's name, with a suggestion.
import { expect, it } from "vitest";
import { octoWebhooks } from "../src/index.ts";

it("refuses a misspelt handler option with a did-you-mean", () => {
  expect(() => octoWebhooks({ path: "/webhooks/octo", onBookingUpdat: () => undefined } as object)).toThrow(
    /^\[@octo-webhooks\/hono\] unknown option `onBookingUpdat`; did you mean `onBookingUpdate`\?$/,
  );
  expect(() => octoWebhooks({ maxBodyByte: 10 } as object)).toThrow("did you mean `maxBodyBytes`?");
});
