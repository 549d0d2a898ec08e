/**
 * Runs the sandbox contract in the page against one backend and publishes the outcome on
 * `window.__contract` for tests/browser/sandbox-contract.spec.ts.
 *
 * Query: `?backend=embedded|webcontainer` and, for webcontainer, `&bootTimeoutMs=<ms>`
 * (default 15 000). Each case gets an empty workspace: a fresh embedded sandbox per case,
 * or the page's one WebContainer restored to an empty snapshot. A WebContainer that cannot
 * boot here (unsupported page, StackBlitz unreachable) makes the run 'skipped' with the
 * reason — never a silent pass.
 */
import { runContract, type ContractResult } from '../../contract/sandbox-contract';
import { createEmbeddedSandbox } from '../../../src/sandbox/embedded';
import type { Sandbox } from '../../../src/sandbox/sandbox';
import { emptySnapshot } from '../../../src/sandbox/snapshot';
import { createWebContainerSandbox } from '../../../src/sandbox/webcontainer';

export interface ContractPageState {
  backend: string;
  status: 'running' | 'done' | 'skipped' | 'error';
  reason?: string;
  results: ContractResult[];
}

declare global {
  interface Window {
    __contract?: ContractPageState;
  }
}

const DEFAULT_BOOT_TIMEOUT_MS = 15_000;

const params = new URLSearchParams(location.search);
const backend = params.get('backend') ?? 'embedded';
const state: ContractPageState = { backend, status: 'running', results: [] };
window.__contract = state;

function publish(patch: Partial<ContractPageState>): void {
  Object.assign(state, patch);
  window.__contract = { ...state, results: [...state.results] };
  const summary = document.getElementById('summary');
  if (!summary) return;
  const passed = state.results.filter((r) => r.status === 'passed').length;
  const failed = state.results.filter((r) => r.status === 'failed').length;
  summary.textContent =
    `${backend}: ${state.status}` +
    (state.reason ? ` — ${state.reason}` : '') +
    (state.results.length ? ` (${passed} passed, ${failed} failed, ${state.results.length} run)` : '');
}

function addRow(result: ContractResult): void {
  const row = document.createElement('tr');
  row.className = result.status;
  for (const text of [result.name, result.status, String(result.ms), result.error ?? '']) {
    const cell = document.createElement('td');
    cell.textContent = text;
    row.append(cell);
  }
  document.getElementById('results')?.append(row);
}

const onResult = (result: ContractResult) => {
  state.results.push(result);
  addRow(result);
  publish({});
};

async function runEmbedded(): Promise<void> {
  const results = await runContract(() => createEmbeddedSandbox(), {
    onResult,
    release: (sb) => sb.dispose(),
  });
  publish({ status: 'done', results });
}

async function runWebContainer(): Promise<void> {
  const bootTimeoutMs = Number(params.get('bootTimeoutMs') ?? DEFAULT_BOOT_TIMEOUT_MS);
  const sb = createWebContainerSandbox({ bootTimeoutMs });
  publish({ reason: undefined });
  const unsubscribe = sb.onStatus((status) => {
    if (status.state === 'booting') publish({ reason: status.progress });
  });
  try {
    await sb.boot();
  } catch (err) {
    const status = sb.status;
    const why = status.state === 'unsupported' || status.state === 'failed' ? status.reason : String(err);
    publish({ status: 'skipped', reason: `WebContainer could not start here: ${why}` });
    return;
  } finally {
    unsubscribe();
  }
  publish({ reason: undefined });
  // One container per page: every case gets the same one, emptied first.
  const shared = async (): Promise<Sandbox> => {
    await sb.restore(emptySnapshot());
    return sb;
  };
  const results = await runContract(shared, { onResult, timeoutMs: 60_000 });
  publish({ status: 'done', results });
}

async function main(): Promise<void> {
  if (backend === 'embedded') await runEmbedded();
  else if (backend === 'webcontainer') await runWebContainer();
  else publish({ status: 'error', reason: `unknown backend "${backend}" (use embedded or webcontainer)` });
}

main().catch((err: unknown) => {
  publish({ status: 'error', reason: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
});
