/**
 * Content addresses for workspace files: SHA-256 of the bytes, as 64 hex digits. Computed
 * synchronously with @noble/hashes (audited, dependency-free), because `crypto.subtle` exists
 * only in secure contexts and a LAN address over plain http must still save files.
 */
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex } from '@noble/hashes/utils';

export function hashBytes(bytes: Uint8Array): string {
  return bytesToHex(sha256(bytes));
}

export function isHash(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{64}$/.test(value);
}
