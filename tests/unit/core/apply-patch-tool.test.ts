/** The apply_patch tool: its specs, the forms its input comes in, failures as outputs, and approvals. */
import { describe, expect, it } from 'vitest';
import type { ApprovalDecision } from '../../../src/core/events';
import type { ApprovalPolicy, SandboxMode } from '../../../src/core/config';
import { applyPatchTool, extractPatchText } from '../../../src/core/tools/apply-patch/index';
import { patchToolContext, ROOT, wrap } from '../../support/apply-patch-fixtures';
import { MemoryFs } from '../../support/memory-fs';

/** An apply_patch call over a MemoryFs holding `files` (a.txt by default). */
function harness(options: { policy?: ApprovalPolicy; mode?: SandboxMode; decision?: ApprovalDecision; files?: Record<string, string> } = {}) {
  const fs = new MemoryFs(options.files ?? { '/workspace/a.txt': 'a\n' });
  const { ctx, approvals } = patchToolContext(fs, options);
  return { ctx, fs, approvals };
}

const PATCH = wrap('*** Update File: a.txt', '@@', '-a', '+b');
const OK = 'Success. Updated the following files:\nM a.txt\n';

describe('applyPatchTool', () => {
  it('has the custom and the function spec', () => {
    const custom = applyPatchTool.spec({ customTools: true, reasoning: true, compact: true });
    expect(custom).toMatchObject({ type: 'custom', name: 'apply_patch', format: { type: 'grammar', syntax: 'lark' } });
    const fn = applyPatchTool.spec({ customTools: false, reasoning: false, compact: false });
    expect(fn).toMatchObject({
      type: 'function',
      name: 'apply_patch',
      strict: false,
      parameters: { type: 'object', required: ['input'], additionalProperties: false, properties: { input: { type: 'string' } } },
    });
    expect(fn.description).toContain('*** Begin Patch');
    expect(fn.description).toContain('*** Move to:');
    expect(JSON.stringify(applyPatchTool.spec({ customTools: true, reasoning: true, compact: true }))).toBe(JSON.stringify(custom));
    expect(applyPatchTool.parallelSafe).toBe(false);
  });

  it('applies a raw patch (custom tool form)', async () => {
    const h = harness();
    expect(await applyPatchTool.run(PATCH, h.ctx)).toEqual({ output: OK, success: true });
    expect(h.fs.files.get('/workspace/a.txt')).toBe('b\n');
    expect(h.approvals).toEqual([]);
  });

  it('applies the function form {"input": …} and heredoc-wrapped input', async () => {
    const h = harness();
    expect(await applyPatchTool.run(JSON.stringify({ input: PATCH }), h.ctx)).toEqual({ output: OK, success: true });
    const h2 = harness();
    expect((await applyPatchTool.run(`apply_patch <<'EOF'\n${PATCH}\nEOF\n`, h2.ctx)).success).toBe(true);
  });

  it('extractPatchText explains malformed JSON input', () => {
    expect(extractPatchText('{"input": 3}')).toEqual({ error: expect.stringContaining('{"input": "<patch text>"}') });
    expect(extractPatchText('{oops')).toEqual({ error: expect.stringContaining('does not parse') });
  });

  it('returns parse and apply errors as failed outputs without throwing', async () => {
    const h = harness();
    const bad = await applyPatchTool.run('not a patch', h.ctx);
    expect(bad.success).toBe(false);
    expect(bad.output).toMatch(/^apply_patch verification failed: Invalid patch at line 1:/);
    const missing = await applyPatchTool.run(wrap('*** Update File: zzz', '@@', '-a', '+b'), h.ctx);
    expect(missing).toEqual({ output: expect.stringContaining('no such file'), success: false });
  });

  it('asks for approval under the untrusted policy; approve applies, deny changes nothing', async () => {
    const yes = harness({ policy: 'untrusted', decision: 'approve' });
    expect((await applyPatchTool.run(PATCH, yes.ctx)).success).toBe(true);
    expect(yes.approvals).toEqual([{ kind: 'patch', subject: PATCH, cwd: ROOT, reason: expect.any(String) }]);

    const no = harness({ policy: 'untrusted', decision: 'deny' });
    expect(await applyPatchTool.run(PATCH, no.ctx)).toEqual({ output: 'patch rejected by user', success: false });
    expect(no.fs.files.get('/workspace/a.txt')).toBe('a\n');
  });

  it('asks in a read-only sandbox unless the policy is never, which refuses', async () => {
    const ask = harness({ mode: 'read-only', decision: 'approve_for_session' });
    expect((await applyPatchTool.run(PATCH, ask.ctx)).success).toBe(true);
    expect(ask.approvals[0]?.reason).toContain('read-only');

    const never = harness({ mode: 'read-only', policy: 'never' });
    const result = await applyPatchTool.run(PATCH, never.ctx);
    expect(result.success).toBe(false);
    expect(result.output).toContain('read-only');
    expect(never.approvals).toEqual([]);
    expect(never.fs.log).toEqual([]);
  });

  it('does not ask about a patch that cannot apply', async () => {
    const h = harness({ policy: 'untrusted' });
    const result = await applyPatchTool.run(wrap('*** Delete File: nope'), h.ctx);
    expect(result.success).toBe(false);
    expect(h.approvals).toEqual([]);
  });

  it('reports an aborted approval as aborted', async () => {
    const h = harness({ policy: 'untrusted' });
    h.ctx.requestApproval = async () => {
      const err = new Error('aborted');
      err.name = 'AbortError';
      throw err;
    };
    expect(await applyPatchTool.run(PATCH, h.ctx)).toEqual({ output: 'aborted by user', success: false });
    expect(h.fs.files.get('/workspace/a.txt')).toBe('a\n');
  });
});
