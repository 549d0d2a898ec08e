/**
 * End-to-end encryption of shares that go through the share service: AES-GCM with a fresh
 * random 256-bit key per share (Web Crypto), so the service stores bytes it cannot read. The
 * key travels only in the link's fragment (`#s=<id>.<key>`), which browsers never send to a
 * server.
 *
 * Sealed bytes: one version byte (1), the 12-byte IV, then the ciphertext with its tag.
 */
import { fromBase64Url, toBase64Url } from './share';

const VERSION = 1;
const IV_BYTES = 12;

export interface Sealed {
  bytes: Uint8Array;
  /** The key, base64url (43 characters). */
  key: string;
}

export async function seal(plain: Uint8Array): Promise<Sealed> {
  const key = newShareKey();
  return { bytes: await sealWith(key, plain), key };
}

/** A fresh random key (base64url), for a share whose parts are sealed one by one (a live one). */
export function newShareKey(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
}

/** `plain` sealed under `key`, with a fresh random IV each time. */
export async function sealWith(key: string, plain: Uint8Array): Promise<Uint8Array> {
  const raw = await crypto.subtle.importKey('raw', fromBase64Url(key) as Uint8Array<ArrayBuffer>, { name: 'AES-GCM' }, false, ['encrypt']);
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const cipher = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, raw, plain as Uint8Array<ArrayBuffer>));
  const bytes = new Uint8Array(1 + IV_BYTES + cipher.length);
  bytes[0] = VERSION;
  bytes.set(iv, 1);
  bytes.set(cipher, 1 + IV_BYTES);
  return bytes;
}

/** The plaintext, or a problem in words (a wrong key and damaged bytes look the same to AES-GCM). */
export async function open(sealed: Uint8Array, key: string): Promise<Uint8Array | { problem: string }> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(key)) return { problem: "The link's key is damaged: it should be 43 characters of base64url." };
  if (sealed.length < 1 + IV_BYTES + 16 || sealed[0] !== VERSION) return { problem: 'The shared data is not a session this app can open.' };
  try {
    const raw = await crypto.subtle.importKey('raw', fromBase64Url(key) as Uint8Array<ArrayBuffer>, { name: 'AES-GCM' }, false, ['decrypt']);
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: sealed.subarray(1, 1 + IV_BYTES) as Uint8Array<ArrayBuffer> },
      raw,
      sealed.subarray(1 + IV_BYTES) as Uint8Array<ArrayBuffer>,
    );
    return new Uint8Array(plain);
  } catch {
    return { problem: "The link's key does not open this share: the link was changed or cut, or the share was replaced." };
  }
}
