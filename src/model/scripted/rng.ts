/**
 * Deterministic randomness for the scripted model: chunk sizes and ids depend only on a seed
 * and the request, so runs replay byte for byte.
 */

/** A 53-bit string hash (two mixed 32-bit FNV-style lanes). Not cryptographic. */
export function hashString(text: string, seed = 0): number {
  let a = 0x811c9dc5 ^ seed;
  let b = 0x01000193 ^ Math.imul(seed, 0x9e3779b1);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  a = Math.imul(a ^ (a >>> 15), 0x2c1b3c6d) ^ Math.imul(b ^ (b >>> 13), 0x297a2d39);
  b = Math.imul(b ^ (b >>> 16), 0x85ebca6b) ^ Math.imul(a ^ (a >>> 13), 0xc2b2ae35);
  return (b >>> 0) * 0x200000 + ((a >>> 0) >>> 11);
}

export type Rng = () => number;

/** A small seeded generator returning floats in [0, 1). */
export function createRng(seed: number): Rng {
  let state = (seed >>> 0) ^ Math.floor(seed / 0x100000000);
  return () => {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    z ^= z >>> 15;
    return (z >>> 0) / 0x100000000;
  };
}

/** An id like the API's: `prefix` + 24 hex digits drawn from `rng`. */
export function makeId(prefix: string, rng: Rng): string {
  let hex = '';
  for (let i = 0; i < 3; i++)
    hex += Math.floor(rng() * 0x100000000)
      .toString(16)
      .padStart(8, '0');
  return `${prefix}_${hex}`;
}
