/**
 * The filesystem the toolbox's shell sees: the machine's real directories, except where
 * programs live. Every top-level directory (the workspace under /home, /tmp, …) is mounted
 * read-write as it is on disk, so paths mean what they mean to node and npm; /bin and /usr
 * hold one entry per command the shell runs (those just-bash implements and those it hands
 * off), so `which`, `type` and `command -v` find them. That keeps command lookup
 * deterministic: a name just-bash implements runs as just-bash's, a name handed off runs the
 * real program, and nothing on the real PATH is mistaken for a shell script.
 */
import { readdirSync, statSync } from 'node:fs';
import { InMemoryFs, MountableFs, ReadWriteFs } from 'just-bash';

/** Top-level directories that hold programs or kernel views, never mounted. */
const PROGRAM_DIRS = new Set(['bin', 'sbin', 'usr', 'lib', 'lib32', 'lib64', 'libx32', 'proc', 'sys', 'dev', 'boot', 'run']);

export function realFilesystem(commands: Iterable<string>, root = '/'): MountableFs {
  const programs = new InMemoryFs();
  programs.mkdirSync('/usr/bin', { recursive: true });
  programs.mkdirSync('/bin', { recursive: true });
  for (const name of commands) programs.writeFileSync(`/usr/bin/${name}`, `# ${name}: a toolbox command\n`, undefined, { mode: 0o755 });
  const fs = new MountableFs({ base: programs });
  for (const name of readdirSync(root)) {
    if (PROGRAM_DIRS.has(name)) continue;
    const path = `${root === '/' ? '' : root}/${name}`;
    try {
      if (!statSync(path).isDirectory()) continue;
    } catch {
      continue;
    }
    fs.mount(`/${name}`, new ReadWriteFs({ root: path, allowSymlinks: true, maxFileReadSize: 64 * 1024 * 1024 }));
  }
  return fs;
}
