// A misspelt option is refused when the app is built, in the adapter's own name, with the option meant.
import type { AdapterOptions } from "@octo-webhooks/core";
import { describe, expect, it } from "vitest";
import { type FrameworkUnderTest, PATH, type Setup } from "./app.ts";

const TYPOS = [
  ["onBookingUpdat", "onBookingUpdate", { onBookingUpdat: () => undefined }],
  ["onBookingCanceled", "onBookingCancelled", { onBookingCanceled: () => undefined }],
  ["maxBodyByte", "maxBodyBytes", { maxBodyByte: 10 }],
] as const;

const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

/** The misspelt-option cases of `framework`. */
export function testMisspeltOptions(framework: FrameworkUnderTest): void {
  describe(`${framework.name}: a misspelt option`, () => {
    const name =
      framework.packageName === undefined ? "@octo-webhooks\\/[a-z-]+" : literal(framework.packageName);
    it.each(TYPOS)(
      "`%s` is refused in the adapter's name, with a did-you-mean of `%s`",
      async (typo, meant, option) => {
        const setup: Setup = {
          options: { path: PATH, ...option } as AdapterOptions<unknown>,
          parser: "none",
          mount: "app",
        };
        await expect((async () => framework.start(setup))()).rejects.toThrow(
          new RegExp(`^\\[${name}\\] unknown option \`${typo}\`; did you mean \`${meant}\`\\?$`),
        );
      },
    );
  });
}
