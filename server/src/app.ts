/**
 * The share service's HTTP API (Hono): end-to-end encrypted blobs, so the server stores and
 * serves bytes it cannot read.
 *
 *   POST   /v1/shares            body: the ciphertext (application/octet-stream)
 *                                → 201 {"id","deleteToken","expiresAt"}
 *                                  headers: Idempotency-Key (a retry returns the same share),
 *                                  X-Expires-In: seconds (default: never)
 *   GET    /v1/shares/{id}       → the bytes (immutable: long cache, ETag, 304 on If-None-Match)
 *   DELETE /v1/shares/{id}       Authorization: Bearer <deleteToken> → 204
 *   POST   /v1/shares?live=1     a live share: → 201 {…, "writeToken"}
 *   POST   /v1/shares/{id}/chunks  Authorization: Bearer <writeToken>, X-Chunk-Seq: N (1, 2, …)
 *                                body: the chunk's ciphertext → 201 (200 for a retry of a stored one)
 *   GET    /v1/shares/{id}/chunks?after=N&wait=S
 *                                → {"chunks": [{"seq", "data" (base64)}], "ended"}; waits up to S
 *                                  seconds (at most 25) for a chunk after N when there is none yet
 *   POST   /v1/shares/{id}/end   Authorization: Bearer <writeToken> → 204: followers stop waiting
 *   GET    /v1/health            → which databases answer
 *
 * Every error is JSON `{"error": {"code", "message"}}`, never a stack trace.
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { RateLimiter } from './rate-limit';
import { IdempotencyConflict, PrimaryUnavailable, ReadUnavailable, type ShareStore } from './shares';

export interface AppOptions {
  /** The largest share accepted, in bytes (default 16 MB). */
  maxBytes?: number;
  /** Creates per client per minute (default 30). */
  createsPerMinute?: number;
  /** Origins allowed to call the API from a browser (default: any; the data is encrypted). */
  origins?: string[];
  /** Take the client address from X-Forwarded-For (only behind a proxy you run). */
  trustProxy?: boolean;
  /** The longest expiry a client may ask for, in seconds (default: one year). */
  maxExpirySeconds?: number;
  now?: () => number;
}

type ErrorCode =
  'bad_request' | 'not_found' | 'forbidden' | 'too_large' | 'unsupported_media_type' | 'rate_limited' | 'conflict' | 'unavailable' | 'internal';

function fail(
  c: Context,
  status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 500 | 503,
  code: ErrorCode,
  message: string,
  headers: Record<string, string> = {},
) {
  for (const [name, value] of Object.entries(headers)) c.header(name, value);
  return c.json({ error: { code, message } }, status);
}

export function createApp(store: ShareStore, options: AppOptions = {}): Hono {
  const maxBytes = options.maxBytes ?? 16 * 1024 * 1024;
  const limiter = new RateLimiter(options.createsPerMinute ?? 30, options.now);
  const now = options.now ?? Date.now;
  const app = new Hono();

  app.use(
    '/v1/*',
    cors({
      origin: options.origins && options.origins.length > 0 ? options.origins : '*',
      allowMethods: ['GET', 'POST', 'DELETE', 'OPTIONS'],
      allowHeaders: ['Content-Type', 'Authorization', 'Idempotency-Key', 'X-Expires-In', 'X-Chunk-Seq', 'If-None-Match'],
      exposeHeaders: ['ETag', 'Retry-After', 'Location'],
      maxAge: 86_400,
    }),
  );

  const client = (c: Context): string => {
    if (options.trustProxy) {
      const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
      if (forwarded) return forwarded;
    }
    try {
      return getConnInfo(c).remote.address ?? 'unknown';
    } catch {
      return 'unknown';
    }
  };

  app.post(
    '/v1/shares',
    bodyLimit({ maxSize: maxBytes, onError: (c) => fail(c, 413, 'too_large', `A share may be at most ${maxBytes} bytes.`) }),
    async (c) => {
      const wait = limiter.take(client(c));
      if (wait > 0) return fail(c, 429, 'rate_limited', 'Too many shares from this address; try again later.', { 'Retry-After': String(wait) });
      const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
      if (type !== 'application/octet-stream') return fail(c, 415, 'unsupported_media_type', 'Send the ciphertext as application/octet-stream.');
      const key = c.req.header('idempotency-key');
      if (key !== undefined && !/^[\x21-\x7e]{1,200}$/.test(key))
        return fail(c, 400, 'bad_request', 'Idempotency-Key must be 1–200 visible ASCII characters.');
      const expiresIn = c.req.header('x-expires-in');
      let expiresAt: Date | null = null;
      if (expiresIn !== undefined) {
        const seconds = Number(expiresIn);
        const max = options.maxExpirySeconds ?? 365 * 86_400;
        if (!Number.isInteger(seconds) || seconds < 60 || seconds > max)
          return fail(c, 400, 'bad_request', `X-Expires-In must be whole seconds from 60 to ${max}.`);
        expiresAt = new Date(now() + seconds * 1000);
      }
      const body = new Uint8Array(await c.req.arrayBuffer());
      if (body.byteLength === 0) return fail(c, 400, 'bad_request', 'The body is empty.');
      const live = c.req.query('live') === '1';
      const created = await store.create(body, { expiresAt, live, ...(key ? { idempotencyKey: key } : {}) });
      c.header('Location', `/v1/shares/${created.id}`);
      return c.json(
        {
          id: created.id,
          deleteToken: created.deleteToken,
          ...(created.writeToken ? { writeToken: created.writeToken } : {}),
          expiresAt: expiresAt?.toISOString() ?? null,
        },
        created.replayed ? 200 : 201,
      );
    },
  );

  app.get('/v1/shares/:id', async (c) => {
    const share = await store.read(c.req.param('id'));
    if (!share) return fail(c, 404, 'not_found', 'There is no such share (it may have expired or been deleted).');
    const etag = `"${share.id}"`;
    const maxAge = share.expiresAt ? Math.max(0, Math.floor((share.expiresAt.getTime() - now()) / 1000)) : 31_536_000;
    c.header('ETag', etag);
    c.header('Cache-Control', share.expiresAt ? `public, max-age=${maxAge}` : 'public, max-age=31536000, immutable');
    if (c.req.header('if-none-match') === etag) return c.body(null, 304);
    c.header('Content-Type', 'application/octet-stream');
    return c.body(share.body as Uint8Array<ArrayBuffer>, 200);
  });

  app.delete('/v1/shares/:id', async (c) => {
    const token = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    if (!token) return fail(c, 401, 'forbidden', "Send the share's delete token as Authorization: Bearer <token>.");
    const result = await store.remove(c.req.param('id'), token);
    if (result === 'forbidden') return fail(c, 403, 'forbidden', "That is not this share's delete token.");
    if (result === 'not-found') return fail(c, 404, 'not_found', 'There is no such share.');
    return c.body(null, 204);
  });

  app.post(
    '/v1/shares/:id/chunks',
    bodyLimit({ maxSize: maxBytes, onError: (c) => fail(c, 413, 'too_large', `A chunk may be at most ${maxBytes} bytes.`) }),
    async (c) => {
      const token = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
      if (!token) return fail(c, 401, 'forbidden', "Send the share's write token as Authorization: Bearer <token>.");
      const seq = Number(c.req.header('x-chunk-seq'));
      if (!Number.isInteger(seq) || seq < 1 || seq > 1_000_000)
        return fail(c, 400, 'bad_request', "X-Chunk-Seq must be the chunk's number: 1, 2, 3, …");
      const body = new Uint8Array(await c.req.arrayBuffer());
      if (body.byteLength === 0) return fail(c, 400, 'bad_request', 'The chunk is empty.');
      const result = await store.append(c.req.param('id'), token, seq, body);
      if (result.ok) return c.json({ seq }, result.replayed ? 200 : 201);
      if (result.reason === 'forbidden') return fail(c, 403, 'forbidden', "That is not this share's write token.");
      if (result.reason === 'not-found') return fail(c, 404, 'not_found', 'There is no such share.');
      if (result.reason === 'not-live') return fail(c, 409, 'conflict', 'This share is not live: it takes no chunks.');
      return fail(c, 409, 'conflict', `Chunk ${seq} does not follow: the next one is ${result.expected}.`);
    },
  );

  app.get('/v1/shares/:id/chunks', async (c) => {
    const id = c.req.param('id');
    const after = Number(c.req.query('after') ?? 0);
    const wait = Math.min(25, Math.max(0, Number(c.req.query('wait') ?? 0)));
    if (!Number.isInteger(after) || after < 0 || !Number.isFinite(wait))
      return fail(c, 400, 'bad_request', 'after must be a chunk number (0 for all) and wait seconds (0–25).');
    let chunks = await store.chunks(id, after);
    if (chunks === null) return fail(c, 404, 'not_found', 'There is no such share.');
    if (chunks.length === 0 && wait > 0 && !(await store.ended(id))) {
      // Long poll: woken by a chunk stored in this process, and checking the database now and
      // then for one another instance stored.
      const deadline = now() + wait * 1000;
      while (chunks !== null && chunks.length === 0 && now() < deadline && !(await store.ended(id))) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, Math.min(1000, Math.max(1, deadline - now())));
          const off = store.onChunk(id, done);
          function done() {
            clearTimeout(timer);
            off();
            resolve();
          }
        });
        chunks = await store.chunks(id, after);
      }
    }
    c.header('Cache-Control', 'no-store');
    const list = (chunks ?? []).map((chunk) => ({ seq: chunk.seq, data: Buffer.from(chunk.body).toString('base64') }));
    return c.json({ chunks: list, ended: list.length === 0 && (await store.ended(id)) });
  });

  app.post('/v1/shares/:id/end', async (c) => {
    const token = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    if (!token) return fail(c, 401, 'forbidden', "Send the share's write token as Authorization: Bearer <token>.");
    if (!(await store.end(c.req.param('id'), token))) return fail(c, 403, 'forbidden', "That is not this live share's write token.");
    return c.body(null, 204);
  });

  app.get('/v1/health', (c) => c.json({ ok: true, reads: store.stats }));

  app.notFound((c) => fail(c, 404, 'not_found', `No route for ${c.req.method} ${new URL(c.req.url).pathname}.`));
  app.onError((err, c) => {
    if (err instanceof PrimaryUnavailable)
      return fail(c, 503, 'unavailable', 'Writes are unavailable for a moment; try again.', { 'Retry-After': '5' });
    if (err instanceof ReadUnavailable)
      return fail(c, 503, 'unavailable', 'The share cannot be read for a moment; try again.', { 'Retry-After': '2' });
    if (err instanceof IdempotencyConflict) return fail(c, 409, 'conflict', err.message);
    return fail(c, 500, 'internal', 'Something went wrong on the server.');
  });
  return app;
}
