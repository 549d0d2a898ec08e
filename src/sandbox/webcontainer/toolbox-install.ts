/**
 * Puts the toolbox (toolbox/main.ts: bash and its tools over the container's files) into a
 * booted WebContainer. Its fs API reaches only the workspace, so the bundle is staged there
 * under TOOLBOX_STAGING (the watcher ignores that name) and started once with `--install`,
 * which moves it next to the workspace (`/home/.unroll/`), writes the PATH scripts and
 * answers which real programs exist. Any failure leaves the sandbox on plain jsh, with the
 * reason logged: the toolbox adds commands, it is never a reason for the sandbox not to work.
 */
import { AGENT_ENV, AGENT_TERMINAL } from './wc-exec';
import type { WcInstance } from './types';

export const TOOLBOX_STAGING = '.unroll-toolbox.mjs';
/** The programs the toolbox probes for (toolbox/main.ts PROBED). */
export type ProgramPresence = Record<string, boolean>;

export interface Toolbox {
  /** The installed entry: run as `node <entry> -c <command>`. */
  entry: string;
  /** The folder of the PATH scripts (bash, grep, rg, sed, …). */
  bin: string;
  present: ProgramPresence;
}

/** The bundled toolbox's text (default: built by Vite, loaded on demand). */
export type ToolboxSource = () => Promise<string>;

export const defaultToolboxSource: ToolboxSource = async () => (await import('virtual:unroll-toolbox')).default;

/** `/home/.unroll` for the workdir `/home/workspace`: beside the workspace, never in it. */
export function toolboxDir(root: string): string {
  const parent = root.replace(/\/[^/]*$/, '') || '';
  return `${parent}/.unroll`;
}

export async function installToolbox(wc: WcInstance, root: string, source: ToolboxSource): Promise<Toolbox | undefined> {
  try {
    const text = await source();
    await wc.fs.writeFile(TOOLBOX_STAGING, text);
    const proc = await wc.spawn('node', [TOOLBOX_STAGING, '--install', toolboxDir(root)], {
      output: true,
      env: { ...AGENT_ENV, PATH: wc.path },
      terminal: { ...AGENT_TERMINAL },
    });
    let output = '';
    const reading = proc.output.pipeTo(new WritableStream({ write: (chunk) => void (output += chunk) })).catch(() => undefined);
    const code = await proc.exit;
    await reading;
    const answer = parseAnswer(output);
    if (code !== 0 || !answer) throw new Error(`the install exited with ${code}: ${output.slice(-500)}`);
    return answer;
  } catch (error) {
    console.warn(
      `[webcontainer] the toolbox could not be installed; commands run in jsh alone: ${error instanceof Error ? error.message : String(error)}`,
    );
    await wc.fs.rm(TOOLBOX_STAGING, { force: true }).catch(() => undefined);
    return undefined;
  }
}

/** The install's last JSON line (the terminal may have added CRs and escape sequences). */
export function parseAnswer(output: string): Toolbox | undefined {
  const lines = output
    .replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07/g, '')
    .split(/\r?\n/)
    .reverse();
  for (const line of lines) {
    const text = line.trim();
    if (!text.startsWith('{')) continue;
    try {
      const value = JSON.parse(text) as Partial<Toolbox>;
      if (typeof value.entry !== 'string' || typeof value.bin !== 'string' || typeof value.present !== 'object' || !value.present) return undefined;
      const present: ProgramPresence = {};
      for (const [name, yes] of Object.entries(value.present)) present[name] = yes === true;
      return { entry: value.entry, bin: value.bin, present };
    } catch {
      return undefined;
    }
  }
  return undefined;
}
