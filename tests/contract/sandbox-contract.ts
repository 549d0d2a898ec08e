/**
 * The sandbox contract: what every backend (embedded, WebContainer) must do, as plain async
 * cases with no test framework, so they run under vitest in Node and in a browser page.
 *
 * Each case gets a booted sandbox with an EMPTY workspace (the runner guarantees it) and must
 * not depend on any other case. A case that needs a capability lists it in `requires`; a
 * runner skips it on sandboxes without it and says so.
 */
import type { Sandbox, SandboxCapabilities } from '../../src/sandbox/sandbox';
import { execCases } from './cases-exec';
import { fsCases } from './cases-fs';
import { workspaceCases } from './cases-workspace';
import { emptyWorkspace, within } from './support';

export interface ContractCase {
  name: string;
  requires?: (keyof SandboxCapabilities)[];
  run(sb: Sandbox): Promise<void>;
}

export const sandboxContract: ContractCase[] = [...fsCases, ...execCases, ...workspaceCases];

/** Why `contractCase` cannot run on a sandbox with `capabilities`, or null if it can. */
export function skipReason(contractCase: ContractCase, capabilities: SandboxCapabilities): string | null {
  const missing = (contractCase.requires ?? []).filter((capability) => !capabilities[capability]);
  return missing.length === 0 ? null : `needs ${missing.join(', ')}, which this sandbox does not have`;
}

/**
 * Makes a case's sandbox ready: boots it and empties its workspace (a backend that can boot
 * only once per page, like WebContainer, hands out the same sandbox every time).
 */
export async function prepare(sb: Sandbox): Promise<Sandbox> {
  await sb.boot();
  await emptyWorkspace(sb);
  return sb;
}

export interface ContractResult {
  name: string;
  status: 'passed' | 'failed' | 'skipped';
  /** The failure message, or the reason for a skip. */
  error?: string;
  ms: number;
}

export interface RunContractOptions {
  onResult?(result: ContractResult): void;
  /** Fails a case that takes longer (default 30 s), so one hang does not stop the run. */
  timeoutMs?: number;
  /** Runs only the cases this accepts. */
  filter?(contractCase: ContractCase): boolean;
  /** Called after each case with its sandbox (e.g. to dispose a fresh one). */
  release?(sb: Sandbox): void | Promise<void>;
}

/** Runs the cases in order, one sandbox from `factory` per case. Never rejects. */
export async function runContract(factory: () => Sandbox | Promise<Sandbox>, options: RunContractOptions = {}): Promise<ContractResult[]> {
  const results: ContractResult[] = [];
  const report = (result: ContractResult) => {
    results.push(result);
    options.onResult?.(result);
  };
  for (const contractCase of sandboxContract.filter((c) => options.filter?.(c) ?? true)) {
    const started = Date.now();
    let sb: Sandbox | undefined;
    try {
      sb = await factory();
      const reason = skipReason(contractCase, sb.capabilities);
      if (reason) {
        report({ name: contractCase.name, status: 'skipped', error: reason, ms: 0 });
        continue;
      }
      const ready = sb;
      const outcome = await within(
        prepare(ready).then(() => contractCase.run(ready)),
        options.timeoutMs ?? 30_000,
      );
      if (outcome === 'pending') throw new Error(`did not finish within ${options.timeoutMs ?? 30_000} ms`);
      report({ name: contractCase.name, status: 'passed', ms: Date.now() - started });
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      report({ name: contractCase.name, status: 'failed', error, ms: Date.now() - started });
    } finally {
      if (sb) await Promise.resolve(options.release?.(sb)).catch(() => undefined);
    }
  }
  return results;
}
