// A misspelt option is refused at construction, in this adapter's name, with a suggestion.
import { expect, it } from "vitest";
import { octoWebhooksHandler } from "../src/index.ts";

it("refuses a misspelt handler option with a did-you-mean", () => {
  expect(() => octoWebhooksHandler({ onBookingCanceled: () => undefined } as object)).toThrow(
    /^\[@octo-webhooks\/aws-lambda\] unknown option `onBookingCanceled`; did you mean `onBookingCancelled`\?$/,
  );
});
