/**
 * The client of the share service (server/): upload sealed bytes, fetch them, delete them.
 * Every failure is an Error whose message says what happened in words, never a stack or a
 * server's raw body.
 */
/** The service refused the upload as too large (413): a smaller one may still pass. */
export class ShareTooLargeError extends Error {}

export interface Uploaded {
  id: string;
  deleteToken: string;
  expiresAt: string | null;
  /** A live share's token for appending chunks. */
  writeToken?: string;
}

export interface ServiceOptions {
  fetch?: typeof fetch;
  /** Seconds until the share expires; none keeps it until deleted. */
  expiresIn?: number;
  /** The same key on a retry gets the same share, not a second one. */
  idempotencyKey?: string;
  /** A live share: it takes chunks after it is made. */
  live?: boolean;
  signal?: AbortSignal;
}

/** The service's base URL, normalised (no trailing slash); throws for what is not an http(s) URL. */
export function serviceBase(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw new Error(`The share service URL "${url}" is not a URL.`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new Error('The share service URL must start with https:// (or http:// for a local one).');
  return parsed.href.replace(/\/+$/, '');
}

async function request(url: string, init: RequestInit, options: ServiceOptions): Promise<Response> {
  const run = options.fetch ?? fetch;
  let response: Response;
  try {
    response = await run(url, { ...init, ...(options.signal ? { signal: options.signal } : {}) });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new Error(`The share service at ${new URL(url).origin} could not be reached (offline, or it is not running).`);
  }
  if (response.ok || response.status === 304) return response;
  let message = '';
  try {
    const body = (await response.json()) as { error?: { message?: unknown } };
    if (typeof body.error?.message === 'string') message = body.error.message.slice(0, 300);
  } catch {
    // not the service's JSON
  }
  const retry = response.headers.get('retry-after');
  const wait = retry ? ` Try again in ${retry} s.` : '';
  const why: Record<number, string> = {
    404: 'There is no such share: it expired or was deleted.',
    413: 'The session is larger than the service accepts.',
    429: 'The service is limiting how many shares this address makes.',
    503: 'The service cannot store or read shares at the moment.',
  };
  const text = `${why[response.status] ?? `The share service answered ${response.status}.`}${message && !why[response.status] ? ` ${message}` : ''}${wait}`;
  throw response.status === 413 ? new ShareTooLargeError(text) : new Error(text);
}

export async function uploadShare(base: string, bytes: Uint8Array, options: ServiceOptions = {}): Promise<Uploaded> {
  const headers: Record<string, string> = { 'content-type': 'application/octet-stream' };
  if (options.expiresIn) headers['x-expires-in'] = String(options.expiresIn);
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  const response = await request(
    `${serviceBase(base)}/v1/shares${options.live ? '?live=1' : ''}`,
    { method: 'POST', headers, body: bytes as Uint8Array<ArrayBuffer> },
    options,
  );
  const body = (await response.json()) as Partial<Uploaded>;
  if (typeof body.id !== 'string' || typeof body.deleteToken !== 'string') throw new Error('The share service answered without a share id.');
  return {
    id: body.id,
    deleteToken: body.deleteToken,
    expiresAt: typeof body.expiresAt === 'string' ? body.expiresAt : null,
    ...(typeof body.writeToken === 'string' ? { writeToken: body.writeToken } : {}),
  };
}

/** The share's bytes, refusing more than `maxBytes`. */
export async function downloadShare(base: string, id: string, options: ServiceOptions & { maxBytes?: number } = {}): Promise<Uint8Array> {
  if (!/^[A-Za-z0-9_-]{22}$/.test(id)) throw new Error("The link's share id is damaged.");
  const response = await request(`${serviceBase(base)}/v1/shares/${id}`, { method: 'GET' }, options);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length > (options.maxBytes ?? 64 * 1024 * 1024)) throw new Error('The share is larger than any session needs; it was refused.');
  return bytes;
}

export async function deleteShare(base: string, id: string, deleteToken: string, options: ServiceOptions = {}): Promise<void> {
  await request(`${serviceBase(base)}/v1/shares/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${deleteToken}` } }, options);
}

/** Appends chunk `seq` (1, 2, …) to a live share; a retry of the same bytes is accepted again. */
export async function appendChunk(
  base: string,
  id: string,
  writeToken: string,
  seq: number,
  bytes: Uint8Array,
  options: ServiceOptions = {},
): Promise<void> {
  await request(
    `${serviceBase(base)}/v1/shares/${id}/chunks`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${writeToken}`, 'x-chunk-seq': String(seq) },
      body: bytes as Uint8Array<ArrayBuffer>,
    },
    options,
  );
}

/**
 * The chunks of a live share after `after`, waiting up to `waitSeconds` for one when there is
 * none yet; `ended` once its broadcaster ended it and nothing is left to read.
 */
export async function followChunks(
  base: string,
  id: string,
  after: number,
  waitSeconds: number,
  options: ServiceOptions = {},
): Promise<{ chunks: { seq: number; bytes: Uint8Array }[]; ended: boolean }> {
  const response = await request(`${serviceBase(base)}/v1/shares/${id}/chunks?after=${after}&wait=${waitSeconds}`, { method: 'GET' }, options);
  const body = (await response.json()) as { chunks?: { seq?: unknown; data?: unknown }[]; ended?: unknown };
  const chunks: { seq: number; bytes: Uint8Array }[] = [];
  for (const chunk of body.chunks ?? []) {
    if (typeof chunk.seq !== 'number' || typeof chunk.data !== 'string') continue;
    const binary = atob(chunk.data);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    chunks.push({ seq: chunk.seq, bytes });
  }
  return { chunks, ended: body.ended === true };
}

/** Ends a live share: its followers stop waiting. */
export async function endLive(base: string, id: string, writeToken: string, options: ServiceOptions = {}): Promise<void> {
  await request(`${serviceBase(base)}/v1/shares/${id}/end`, { method: 'POST', headers: { authorization: `Bearer ${writeToken}` } }, options);
}
