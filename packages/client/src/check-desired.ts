import { checkInput } from "./check-input.ts";
import { configError } from "./errors.ts";
import type { Kind } from "./types.ts";

/** Checks a desired list before anything is sent: each entry, and no key (`kind.keyOf`) twice. */
export function checkDesired<Input>(
  desired: readonly Input[],
  kind: Pick<
    Kind<string, Input, unknown, string>,
    "noun" | "call" | "fields" | "booleans" | "keyOf" | "repeated"
  >,
): void {
  if (!Array.isArray(desired)) configError(`\`${kind.call}\` takes an array of ${kind.noun}s`);
  const seen = new Set<string>();
  desired.forEach((input, i) => {
    try {
      checkInput(input, true, kind);
    } catch (error) {
      configError(`desired[${i}]: ${(error as Error).message.replace(/^\[[^\]]+\] /, "")}`);
    }
    const key = kind.keyOf(input) as string;
    if (seen.has(key)) configError(`desired[${i}] repeats ${kind.repeated(input)}`);
    seen.add(key);
  });
}
