/** Share ids and the tokens that prove who made a share, derived so a retried create gets the same. */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** 128 random bits, URL-safe: unguessable, so a link is the only way to a share. */
export function newId(): string {
  return randomBytes(16).toString('base64url');
}

export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** The token that deletes (`delete`) or appends to (`write`) share `id`: an HMAC under the service's secret. */
export function tokenFor(secret: string, purpose: 'delete' | 'write', id: string): string {
  return createHmac('sha256', secret).update(`${purpose}:${id}`).digest('base64url');
}

export function tokenMatches(secret: string, purpose: 'delete' | 'write', id: string, token: string): boolean {
  const expected = Buffer.from(tokenFor(secret, purpose, id));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function isShareId(value: string): boolean {
  return /^[A-Za-z0-9_-]{22}$/.test(value);
}
