/**
 * The app's one redaction of credentials. Defence in depth for the inspector and exports:
 * requests never carry the API key (it goes in headers), but anything shown or exported passes
 * through `redact` anyway. Error texts (a server may echo the key it rejected) pass through
 * `scrubErrorText` before they are shown or stored. Plain TypeScript, so the model client can
 * use it too.
 */
export const REDACTED = '[redacted]';

/** Whether a header, query parameter or setting named `name` carries a credential. */
export function isSecretName(name: string): boolean {
  return SECRET_KEY.test(name);
}

/** Values under these keys are always redacted (header or setting names for credentials). */
const SECRET_KEY = /(^|[-_])(authorization|api[-_]?key|access[-_]?token|secret)$|^(authorization|apikey|api[-_]?key)$/i;
/** Strings that look like credentials: OpenAI-style keys and bearer tokens. */
const SECRET_LOOKS = [/\bsk-[A-Za-z0-9_-]{16,}/, /\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/i];
/** Shorter "secrets" would redact ordinary words. */
const MIN_SECRET_LENGTH = 6;

/** Whether `text` contains one of `secrets` or looks like a credential. */
export function looksSecret(text: string, secrets: readonly string[]): boolean {
  for (const secret of usable(secrets)) if (text.includes(secret)) return true;
  return SECRET_LOOKS.some((pattern) => pattern.test(text));
}

/**
 * A deep copy of `value` where every string containing a secret (one of `secrets`, anything
 * looking like `sk-…` or `Bearer …`) and every value under a credential-named key
 * (Authorization, api-key, x-api-key, apiKey, …) is replaced by '[redacted]'. Plain data
 * only: arrays and objects are copied by their own enumerable keys; cycles become
 * '[circular]'. Never mutates `value`.
 */
export function redact<T>(value: T, secrets: readonly string[]): T {
  const list = usable(secrets);
  const seen = new Set<object>();
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return looksSecret(v, list) ? REDACTED : v;
    if (typeof v !== 'object' || v === null) return v;
    if (seen.has(v)) return '[circular]';
    seen.add(v);
    let out: unknown;
    if (Array.isArray(v)) out = v.map(walk);
    else {
      const copy: Record<string, unknown> = {};
      for (const [key, inner] of Object.entries(v)) {
        const name = looksSecret(key, list) ? uniqueKey(copy, REDACTED) : key;
        copy[name] = SECRET_KEY.test(key) && inner !== undefined && inner !== null && inner !== '' ? REDACTED : walk(inner);
      }
      out = copy;
    }
    seen.delete(v);
    return out;
  };
  return walk(value) as T;
}

/** Replaces every occurrence of a secret in `text` (a last pass over serialised output). */
export function scrubText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of usable(secrets)) out = out.split(secret).join(REDACTED);
  for (const pattern of SECRET_LOOKS) out = out.replace(new RegExp(pattern.source, `${pattern.flags}g`), REDACTED);
  return out;
}

/**
 * A long token right after a word like "key", "token" or "secret" ("api key: 3f9a…",
 * "token=eyJhbGci…"): group 1 is the lead-in, kept; group 2 the token, redacted. The token must
 * mix letters and digits and be 20+ characters, so prose ("key: the_configuration_value") stays.
 */
const KEY_CONTEXT =
  /(\b(?:api[-_ ]?key|key|token|access[-_ ]?token|secret|password|credential)s?\b["']?\s*(?:[:=]|\bis\b)?\s*["']?)((?=[A-Za-z+/_.=-]*\d)(?=[0-9+/_.=-]*[A-Za-z])[A-Za-z0-9+/_.=-]{20,})/gi;

/**
 * `text` (an error message, a server's error body) with every secret, everything looking like
 * `sk-…` or `Bearer …`, and long tokens after "key"/"token"/"secret" replaced by '[redacted]'.
 */
export function scrubErrorText(text: string, secrets: readonly string[]): string {
  return scrubText(text, secrets).replace(KEY_CONTEXT, (_, lead: string) => `${lead}${REDACTED}`);
}

function usable(secrets: readonly string[]): string[] {
  return secrets.map((s) => s.trim()).filter((s) => s.length >= MIN_SECRET_LENGTH);
}

function uniqueKey(target: Record<string, unknown>, base: string): string {
  let key = base;
  for (let i = 2; key in target; i++) key = `${base} ${i}`;
  return key;
}
