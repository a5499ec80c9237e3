import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const repo = fileURLToPath(new URL("../..", import.meta.url));

export interface BenchBody {
  name: string;
  text: string;
}

/** The seed document's booking_update (about 1.9 KB), the body every throughput figure uses. */
export function seedBooking(): BenchBody {
  const text = JSON.stringify(
    JSON.parse(readFileSync(join(repo, "fixtures/seed-booking-update.json"), "utf8")),
  );
  return { name: `seed booking_update (${(text.length / 1024).toFixed(1)} KB)`, text };
}

/** The largest real-world booking (read in place from ../shared), or our largest quirk fixture without it. */
export function largestRealBooking(): BenchBody {
  const corpus = join(repo, "..", "shared", "fixtures", "octo");
  let best: { name: string; text: string } | undefined;
  if (existsSync(corpus)) {
    for (const file of readdirSync(corpus).filter((f) => f.endsWith(".json"))) {
      const resource = JSON.parse(readFileSync(join(corpus, file), "utf8"));
      if (typeof resource.uuid !== "string") continue;
      const text = JSON.stringify({
        webhook: { id: "w", event: "booking_update", url: "u" },
        booking: resource,
      });
      if (!best || text.length > best.text.length) best = { name: file, text };
    }
  }
  if (!best) {
    const dir = join(repo, "fixtures/quirks");
    for (const file of readdirSync(dir)) {
      const { body } = JSON.parse(readFileSync(join(dir, file), "utf8"));
      const text = JSON.stringify(body);
      if (body.booking && (!best || text.length > best.text.length)) best = { name: file, text };
    }
  }
  if (!best) throw new Error("no booking fixture found");
  return { name: `${best.name} (${(best.text.length / 1024).toFixed(1)} KB)`, text: best.text };
}
