// Default mode (handlers before the answer): the receiver is SIGKILLed mid-handler, again and again,
// during a burst. The promise: no 2xx before the handlers resolved, so the supplier's retries are the
// safety net: every event's effect is applied at least once, and exactly once with `dedupe` on a shared
// store (Redis) and an idempotent effect.
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterEach, describe, expect, inject, it } from "vitest";
import { figures, long, type Managed, portOf, startApp, until } from "../src/harness.ts";
import { burst, supplierFor } from "../src/supply.ts";

const redisUrl = inject("redisUrl");
const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

describe.skipIf(redisUrl === "")("default mode, receiver killed mid-handler", () => {
  // without dedupe in the long form only: the short form keeps within the CI budget
  it.each(long ? [{ dedupe: true }, { dedupe: false }] : [{ dedupe: true }])(
    "loses nothing across SIGKILLs (dedupe: $dedupe)",
    async ({ dedupe }) => {
      const count = long ? 1_000 : 300;
      const kills = long ? 5 : 2;
      const prefix = `faults-${randomBytes(4).toString("hex")}`;
      const effects = new Redis(redisUrl);
      cleanup.push(async () => effects.quit());
      const receiver: Managed = await startApp({
        role: "receiver",
        mode: "default",
        redisUrl,
        effectsUrl: redisUrl,
        prefix,
        handlerMs: 20,
        dedupe,
      });
      const port = portOf(receiver);
      cleanup.push(() => receiver.kill("SIGKILL"));
      const supplier = await supplierFor(port);
      cleanup.push(() => supplier.close());

      const sending = burst(supplier, count);
      const runs = async () =>
        (await effects.hvals(`${prefix}:runs`)).reduce((sum, value) => sum + Number(value), 0);
      // handler runs started and not applied: in flight (until a kill has made re-runs, which count too)
      const started = async () => (await runs()) - (await effects.hlen(`${prefix}:applied-keys`));
      for (let k = 1; k <= kills; k++) {
        // a kill between two handlers proves nothing: wait for one to be mid-way (they take handlerMs)
        await until(
          async () => (await runs()) >= (count * k) / (kills + 1) && (await started()) > 0,
          `kill ${k} with a handler running`,
        );
        await receiver.kill("SIGKILL");
        await receiver.start();
      }
      const { uuids, deliveries } = await sending;
      const result = await figures(effects, prefix, uuids);
      const reruns = (await runs()) - result.applied;
      console.log(`default mode, dedupe ${dedupe}, ${kills} SIGKILLs:`, { ...result, reruns });

      expect(deliveries.filter((d) => d.state !== "delivered")).toEqual([]);
      expect(result.lost).toBe(0);
      expect(result.applied).toBe(count); // the idempotent effect: once per delivery
      expect(result.doubled).toBe(0);
      expect(reruns).toBeGreaterThan(0); // a kill did land mid-handler: those handlers ran again
    },
  );
});
