/**
 * A short, stable fingerprint of a text (64-bit FNV-1a, 16 hex digits): not for security, only
 * to tell lists apart and to shorten names without collisions in practice.
 */
export function fingerprint(text: string): string {
  let hash = 0xcbf29ce484222325n;
  const prime = 0x100000001b3n;
  const mask = 0xffffffffffffffffn;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= BigInt(byte);
    hash = (hash * prime) & mask;
  }
  return hash.toString(16).padStart(16, '0');
}
