// Reads a request body up to a byte limit, stopping as soon as it is passed: a declared length over
// the limit is refused before reading, and a body that lies about its length (or declares none) is
// cut off while it streams, so an oversized webhook never sits in memory whole.

/** The body as text, or null when it is larger than `maxBytes`. */
export async function readCappedText(request: Request, maxBytes: number): Promise<string | null> {
  const declared = request.headers.get("content-length");
  if (declared !== null && (!/^\d{1,15}$/.test(declared) || Number(declared) > maxBytes)) return null;
  if (request.body === null) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  // Invalid UTF-8 is kept as replacement characters: it then fails the signature check, not the parser.
  return new TextDecoder().decode(bytes);
}
