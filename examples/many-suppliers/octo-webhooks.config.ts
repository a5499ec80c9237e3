// One receiver, three suppliers: read by the receiver (src/main.ts, through receiverSuppliers) and by
// `octo-webhooks sync` / `octo-webhooks status`. Secrets stay in env vars; only their names are here.
// Matches `octo-webhooks mock-supplier --count 3` (mock-1..3 on ports 4010..4012, keys <id>-api-key).
import type { SupplierEntry, SuppliersConfig } from "@octo-webhooks/client";

/**
 * One mock supplier's entry: its API at `baseUrl`, its secrets in MOCK_<n>_* env vars. The third one
 * sends OCTO notifications instead of webhooks (thin bodies the receiver hydrates with its API).
 */
const mock = (n: number, baseUrl: string): SupplierEntry => ({
  baseUrl,
  apiKeyEnv: `MOCK_${n}_API_KEY`,
  hook: {
    usernameEnv: `MOCK_${n}_HOOK_USER`,
    passwordEnv: `MOCK_${n}_HOOK_PASS`,
    nextPasswordEnv: `MOCK_${n}_HOOK_PASS_NEXT`,
  },
  ...(n === 3
    ? { events: [], notifications: ["BOOKING_UPDATE", "AVAILABILITY_UPDATE"] }
    : { events: ["booking_update", "availability_update"] }),
});

const MOCKS = [4010, 4011, 4012].map((port) => `http://127.0.0.1:${port}/octo`);

/** The config for a receiver at `receiverOrigin` and the three mock suppliers' endpoints. */
export function suppliersConfig(
  receiverOrigin: string,
  baseUrls: readonly string[] = MOCKS,
): SuppliersConfig {
  const suppliers = Object.fromEntries(baseUrls.map((url, i) => [`mock-${i + 1}`, mock(i + 1, url)]));
  return { receiverUrl: `${receiverOrigin}/webhooks/octo/:supplier`, suppliers };
}

export default suppliersConfig(process.env.RECEIVER_ORIGIN ?? "http://127.0.0.1:3000");
