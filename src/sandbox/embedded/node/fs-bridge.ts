/**
 * The host half of the guest's `fs`: one synchronous operation on the run's FsMirror.
 *
 * Contract: never throws. Answers JSON `{"ok": value}` or `{"error": {"message", "code"}}`.
 * Paths arrive absolute (the guest resolves them against its cwd); text is UTF-8.
 */
import { normalizePath } from '../../../core/paths';
import { FsError, type FsMirror } from './fs-mirror';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function dispatch(mirror: FsMirror, op: string, args: unknown[]): unknown {
  const path = normalizePath(String(args[0]));
  const other = () => normalizePath(String(args[1]));
  switch (op) {
    case 'read':
      return decoder.decode(mirror.read(path));
    case 'readBytes':
      return base64(mirror.read(path));
    case 'write':
      return mirror.write(path, encoder.encode(String(args[1])), args[2] === true);
    case 'writeBytes':
      return mirror.write(path, Uint8Array.from(args[1] as number[]), args[2] === true);
    case 'exists':
      return mirror.exists(path);
    case 'stat':
      return mirror.stat(path, args[1] === true ? 'lstat' : 'stat');
    case 'readdir': {
      const entries = mirror.readdir(path);
      return args[1] === true ? entries : entries.map((e) => e.name);
    }
    case 'mkdir':
      return mirror.mkdir(path, args[1] === true);
    case 'rm':
      return mirror.rm(path, args[3] === 'rmdir' || args[3] === 'unlink' ? args[3] : 'rm', args[1] === true, args[2] === true);
    case 'rename':
      return mirror.rename(path, other());
    case 'copy':
      return mirror.copy(path, other());
    case 'realpath':
      mirror.stat(path, 'realpath');
      return path;
    default:
      throw new FsError('EINVAL', `invalid argument, unknown fs operation ${op}`);
  }
}

export function runFsOp(mirror: FsMirror, op: string, argsJson: string): string {
  try {
    return JSON.stringify({ ok: dispatch(mirror, op, JSON.parse(argsJson) as unknown[]) ?? null });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return JSON.stringify({ error: { message, code: err instanceof FsError ? err.code : undefined } });
  }
}
