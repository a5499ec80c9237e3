/**
 * Reads at most `max` bytes of a body and drops the rest unread (the connection is closed), so that a
 * huge or endless error page costs neither memory nor time.
 */
export async function readCapped(response: Response, max: number): Promise<string> {
  const reader = response.body?.getReader();
  if (reader === undefined) return (await response.text()).slice(0, max);
  const decoder = new TextDecoder();
  let text = "";
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const chunk = value.byteLength > max - size ? value.subarray(0, max - size) : value;
    size += chunk.byteLength;
    text += decoder.decode(chunk, { stream: true });
    if (size >= max) {
      void reader.cancel().catch(() => {});
      break;
    }
  }
  return text + decoder.decode();
}
