/**
 * What can go wrong with saved sessions, in words a person can act on. Every IndexedDB failure
 * leaves the store as a `StoreError`; records that fail validation on read come back as
 * `corrupt` problems next to the data that could be read, never as a thrown error.
 */

export type StoreErrorKind = 'quota' | 'unavailable' | 'corrupt' | 'not_found' | 'unknown';

const MESSAGES: Record<StoreErrorKind, string> = {
  quota: 'The browser has no more room for saved sessions, so the latest change was not saved. ' + 'Export or delete old sessions to make room.',
  unavailable:
    'Sessions cannot be saved in this window: the browser refuses storage here (private ' +
    'browsing and some privacy settings do this). You can keep working, but a reload loses the session.',
  corrupt: 'Part of a saved session could not be read and was skipped.',
  not_found: 'This session no longer exists; it may have been deleted in another tab.',
  unknown: 'Saving or loading a session failed.',
};

export class StoreError extends Error {
  override readonly name = 'StoreError';
  readonly kind: StoreErrorKind;
  /** One or two sentences for the person; `message` adds the technical detail for logs. */
  readonly userMessage: string;

  constructor(kind: StoreErrorKind, detail?: string, options?: { cause?: unknown; userMessage?: string }) {
    const userMessage = options?.userMessage ?? MESSAGES[kind];
    super(detail ? `${userMessage} (${detail})` : userMessage, options?.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.userMessage = userMessage;
  }
}

/** A skipped record, reported next to whatever could still be read. */
export function corrupt(detail: string): StoreError {
  return new StoreError('corrupt', detail, { userMessage: `${MESSAGES.corrupt} ${capitalise(detail)}.` });
}

export function notFound(sessionId: string): StoreError {
  return new StoreError('not_found', `session ${sessionId}`);
}

/** Names browsers use when they refuse storage outright (private modes, blocked cookies, sandboxed frames). */
const UNAVAILABLE_NAMES = new Set(['SecurityError', 'InvalidStateError', 'UnknownError', 'VersionError', 'NotFoundError']);

/** Any thrown value as a StoreError; StoreErrors pass through unchanged. */
export function toStoreError(err: unknown): StoreError {
  if (err instanceof StoreError) return err;
  const name = errorName(err);
  const detail = err instanceof Error || isDomLike(err) ? `${name}: ${(err as { message: string }).message}` : String(err);
  if (name === 'QuotaExceededError' || /quota/i.test(detail)) return new StoreError('quota', detail, { cause: err });
  if (UNAVAILABLE_NAMES.has(name)) return new StoreError('unavailable', detail, { cause: err });
  return new StoreError('unknown', detail, { cause: err });
}

function errorName(err: unknown): string {
  return isDomLike(err) ? err.name : '';
}

function isDomLike(err: unknown): err is { name: string; message: string } {
  return (
    typeof err === 'object' &&
    err !== null &&
    typeof (err as { name?: unknown }).name === 'string' &&
    typeof (err as { message?: unknown }).message === 'string'
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
