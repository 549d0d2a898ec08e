/**
 * The sandboxes' file errors, one wording for every backend: "cannot <op> <path>: <reason>",
 * the reason read from the errno code the failure names (just-bash and the WebContainer fs
 * both say "ENOENT: no such file or directory, open '…'", about paths of their own), else its
 * own message.
 */

const REASONS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
  EEXIST: 'already exists',
  ENOTEMPTY: 'directory not empty',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EBUSY: 'resource busy',
  EFBIG: 'file too large',
};

/** `err` as "cannot <op> <path>: <reason>"; `path` is the caller's, not the one `err` names. */
function fsError(op: string, path: string, err: unknown): Error {
  const message = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: unknown } | null)?.code;
  const found = typeof code === 'string' ? code : /\b(?:ERR_FS_)?(E[A-Z]{2,})\b/.exec(message)?.[1];
  const reason = (found && REASONS[found]) || message;
  return new Error(`cannot ${op} ${path}: ${reason}`);
}

/** Runs `action`, rethrowing its failure as `fsError` words it. */
export async function withFsErrors<T>(op: string, path: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (err) {
    throw fsError(op, path, err);
  }
}
