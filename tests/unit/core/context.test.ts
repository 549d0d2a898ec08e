import { describe, expect, it } from 'vitest';
import { Bash } from 'just-bash';
import { APPROVAL_POLICIES, SANDBOX_MODES, defaultConfig, type SessionConfig } from '../../../src/core/config';
import { BASE_INSTRUCTIONS } from '../../../src/core/context/base-instructions';
import {
  ENVIRONMENT_OPEN,
  FALLBACK_TIMEZONE,
  environmentContext,
  isKnownTimezone,
  localDate,
  readEnvironmentCwd,
} from '../../../src/core/context/environment';
import {
  contextUpdates,
  hasContext,
  initialContext,
  isContextMessage,
  readRecordedContext,
  type ContextOptions,
} from '../../../src/core/context/index';
import { PERMISSIONS_CLOSE, PERMISSIONS_OPEN, permissionsText, readPermissions } from '../../../src/core/context/permissions';
import { agentsDocsText } from '../../../src/core/context/agents-md';
import type { MessageItem, ResponseItem } from '../../../src/core/items';
import { TURN_ABORTED_TEXT } from '../../../src/core/loop';
import type { Clock, SandboxDescription, SandboxPort } from '../../../src/core/ports';
import { createJustBashPort } from '../../../src/sandbox/just-bash-port';

// 2024-02-29 10:30 UTC: already 1 March in Kiritimati (UTC+14), still 29 February in Los Angeles (UTC-8).
const NOW = Date.UTC(2024, 1, 29, 10, 30);

const fixedClock: Clock = { now: () => NOW, sleep: () => Promise.resolve() };

const SANDBOX: SandboxDescription = {
  kind: 'embedded',
  shell: 'bash (just-bash)',
  root: '/workspace',
  notes: 'Test sandbox notes.',
};

function sandbox(files: Record<string, string> = {}): SandboxPort {
  const bash = new Bash({ files: { '/workspace/.keep': '', ...files }, cwd: '/workspace' });
  return createJustBashPort({ bash, root: '/workspace', notes: SANDBOX.notes });
}

function options(config: Partial<SessionConfig> = {}, port: SandboxPort = sandbox(), extra: Partial<ContextOptions> = {}): ContextOptions {
  return { config: defaultConfig({ timezone: 'UTC', ...config }), sandbox: port, clock: fixedClock, ...extra };
}

function texts(item: MessageItem | undefined): string[] {
  return (item?.content ?? []).map((part) => (part.type === 'input_text' ? part.text : `<${part.type}>`));
}

function userText(text: string): MessageItem {
  return { type: 'message', role: 'user', content: [{ type: 'input_text', text }] };
}

describe('environmentContext', () => {
  it('renders the block exactly', () => {
    expect(environmentContext({ cwd: '/workspace/app', shell: 'bash', now: NOW, timezone: 'Europe/Paris' })).toBe(
      '<environment_context>\n' +
        '  <cwd>/workspace/app</cwd>\n' +
        '  <shell>bash</shell>\n' +
        '  <current_date>2024-02-29</current_date>\n' +
        '  <timezone>Europe/Paris</timezone>\n' +
        '</environment_context>',
    );
  });

  it('states the date as it is in the given timezone', () => {
    const at = (timezone: string) => environmentContext({ cwd: '/w', shell: 'bash', now: NOW, timezone });
    expect(at('Pacific/Kiritimati')).toContain('<current_date>2024-03-01</current_date>');
    expect(at('America/Los_Angeles')).toContain('<current_date>2024-02-29</current_date>');
    expect(at('UTC')).toContain('<current_date>2024-02-29</current_date>');
  });

  it('crosses the year boundary per timezone', () => {
    const newYearsEve = Date.UTC(2023, 11, 31, 12, 0);
    expect(localDate(newYearsEve, 'Pacific/Kiritimati')).toBe('2024-01-01');
    expect(localDate(newYearsEve, 'America/Los_Angeles')).toBe('2023-12-31');
    expect(localDate(newYearsEve, 'Asia/Kolkata')).toBe('2023-12-31');
  });

  it('pads months and days to two digits', () => {
    expect(localDate(Date.UTC(2025, 0, 5, 12), 'UTC')).toBe('2025-01-05');
  });

  it.each(['Mars/Olympus_Mons', '', '   ', 'Not a zone'])('falls back to UTC in both date and zone for the unknown zone %j', (timezone) => {
    const text = environmentContext({ cwd: '/w', shell: 'bash', now: Date.UTC(2023, 11, 31, 23, 0), timezone });
    expect(text).toContain('<current_date>2023-12-31</current_date>');
    expect(text).toContain(`<timezone>${FALLBACK_TIMEZONE}</timezone>`);
    expect(FALLBACK_TIMEZONE).toBe('UTC');
  });

  it('keeps a known zone as given', () => {
    expect(isKnownTimezone('Asia/Tokyo')).toBe(true);
    expect(isKnownTimezone('Mars/Olympus_Mons')).toBe(false);
    expect(environmentContext({ cwd: '/w', shell: 'bash', now: NOW, timezone: 'Asia/Tokyo' })).toContain('<timezone>Asia/Tokyo</timezone>');
  });

  it('escapes XML-special characters in cwd and shell', () => {
    const text = environmentContext({ cwd: '/work/a&b <c>', shell: 'sh<1>&', now: NOW, timezone: 'UTC' });
    expect(text).toContain('  <cwd>/work/a&amp;b &lt;c&gt;</cwd>\n');
    expect(text).toContain('  <shell>sh&lt;1&gt;&amp;</shell>\n');
  });

  it.each(['/workspace', '/work/a&b <c>', '/x/&lt;literal&gt;', '/x/&amp;', '/tab\there', '/ünï/çødé/日本'])(
    'round-trips the cwd %j through readEnvironmentCwd',
    (cwd) => {
      expect(readEnvironmentCwd(environmentContext({ cwd, shell: 'bash', now: NOW, timezone: 'UTC' }))).toBe(cwd);
    },
  );

  it('reads no cwd from other text', () => {
    expect(readEnvironmentCwd('hello <cwd>/etc</cwd>')).toBeNull();
    expect(readEnvironmentCwd(' <environment_context>\n  <cwd>/etc</cwd>')).toBeNull();
    expect(readEnvironmentCwd(`${ENVIRONMENT_OPEN}\n  <shell>bash</shell>\n</environment_context>`)).toBeNull();
  });
});

describe('permissionsText / readPermissions', () => {
  const combos = SANDBOX_MODES.flatMap((mode) => APPROVAL_POLICIES.map((policy) => [mode, policy] as const));

  it('covers all nine combinations', () => {
    expect(combos).toHaveLength(9);
  });

  it.each(combos)('%s × %s: states both headlines and the sandbox facts, and reads back', (mode, policy) => {
    const text = permissionsText(mode, policy, SANDBOX);
    const lines = text.split('\n');
    expect(lines[0]).toBe(PERMISSIONS_OPEN);
    expect(lines.at(-1)).toBe(PERMISSIONS_CLOSE);
    expect(lines[1]).toMatch(new RegExp(`^Sandbox mode: \`${mode}\`\\. \\S`));
    expect(lines[2]).toMatch(new RegExp(`^Approval policy: \`${policy}\`\\. \\S`));
    expect(text).toContain('Workspace: `/workspace`.');
    expect(text).toContain('Sandbox: Test sandbox notes.');
    expect(readPermissions(text)).toEqual({ mode, policy });
  });

  it('gives every combination its own text', () => {
    expect(new Set(combos.map(([m, p]) => permissionsText(m, p, SANDBOX))).size).toBe(9);
  });

  it('tells the model how to ask for approval only under on-request', () => {
    for (const [mode, policy] of combos) {
      expect(permissionsText(mode, policy, SANDBOX).includes('require_escalated')).toBe(policy === 'on-request');
    }
  });

  it.each([
    ['empty text', ''],
    ['ordinary text', 'Please run the tests.'],
    ['the open tag not at the start', ` ${permissionsText('read-only', 'never', SANDBOX)}`],
    ['an unknown mode', `${PERMISSIONS_OPEN}\nSandbox mode: \`yolo\`.\nApproval policy: \`never\`.\n${PERMISSIONS_CLOSE}`],
    ['an unknown policy', `${PERMISSIONS_OPEN}\nSandbox mode: \`read-only\`.\nApproval policy: \`sometimes\`.\n${PERMISSIONS_CLOSE}`],
    ['no policy line', `${PERMISSIONS_OPEN}\nSandbox mode: \`read-only\`.\n${PERMISSIONS_CLOSE}`],
    ['headlines not at a line start', `${PERMISSIONS_OPEN} Sandbox mode: \`read-only\`. Approval policy: \`never\`.`],
  ])('reads nothing from %s', (_label, text) => {
    expect(readPermissions(text)).toBeNull();
  });
});

describe('initialContext', () => {
  it('opens with the base instructions alone, then a developer message [permissions, developer instructions]', async () => {
    const items = await initialContext(options({ developerInstructions: '\n  Answer in French.  \n' }));
    expect(items).toHaveLength(3);
    const [base, developer] = items;
    expect(base).toEqual({ type: 'message', role: 'developer', content: [{ type: 'input_text', text: BASE_INSTRUCTIONS }] });
    expect(developer).toEqual({
      type: 'message',
      role: 'developer',
      content: [
        { type: 'input_text', text: permissionsText('workspace-write', 'on-request', { ...SANDBOX, notes: SANDBOX.notes }) },
        { type: 'input_text', text: 'Answer in French.' },
      ],
    });
  });

  it.each([undefined, '', '   \n\t'])('leaves out blank developer instructions (%j)', async (developerInstructions) => {
    const items = await initialContext(options(developerInstructions === undefined ? {} : { developerInstructions }));
    expect(texts(items[1])).toEqual([permissionsText('workspace-write', 'on-request', SANDBOX)]);
  });

  it('uses given base instructions and states the configured mode and policy', async () => {
    const items = await initialContext(
      options({ sandboxMode: 'read-only', approvalPolicy: 'untrusted' }, sandbox(), { baseInstructions: 'Custom base.' }),
    );
    expect(texts(items[0])).toEqual(['Custom base.']);
    expect(texts(items[1])).toEqual([permissionsText('read-only', 'untrusted', SANDBOX)]);
  });

  it('follows with a user message [AGENTS.md block, environment_context] when docs exist', async () => {
    const port = sandbox({ '/workspace/.git/HEAD': 'ref', '/workspace/AGENTS.md': 'Root rule.', '/workspace/app/AGENTS.md': 'App rule.' });
    const items = await initialContext(options({ cwd: '/workspace/app', timezone: 'Pacific/Kiritimati' }, port));
    expect(items[2]).toEqual({
      type: 'message',
      role: 'user',
      content: [
        { type: 'input_text', text: agentsDocsText('/workspace/app', 'Root rule.\n\nApp rule.') },
        {
          type: 'input_text',
          text: environmentContext({ cwd: '/workspace/app', shell: 'bash (just-bash)', now: NOW, timezone: 'Pacific/Kiritimati' }),
        },
      ],
    });
    expect(texts(items[2])[1]).toContain('<current_date>2024-03-01</current_date>');
  });

  it('sends only environment_context when there are no docs', async () => {
    const items = await initialContext(options());
    expect(texts(items[2])).toEqual([environmentContext({ cwd: '/workspace', shell: 'bash (just-bash)', now: NOW, timezone: 'UTC' })]);
  });

  it('passes the AGENTS.md options through', async () => {
    const port = sandbox({ '/workspace/.git/HEAD': 'ref', '/workspace/CLAUDE.md': 'claude rule', '/cfg/AGENTS.md': 'global rule' });
    const items = await initialContext(options({}, port, { agentsDocs: { configHome: '/cfg', fallbackNames: ['CLAUDE.md'], budget: 6 } }));
    expect(texts(items[2])[0]).toBe(agentsDocsText('/workspace', 'global rule\n\n--- project-doc ---\n\nclaude'));
  });

  it('is recognised as context by hasContext and isContextMessage', async () => {
    const items = await initialContext(options({}, sandbox({ '/workspace/AGENTS.md': 'rule' })));
    expect(hasContext(items)).toBe(true);
    expect(items.every(isContextMessage)).toBe(true);
    expect(readRecordedContext(items)).toEqual({
      permissions: { mode: 'workspace-write', policy: 'on-request' },
      sandbox: 'Workspace: `/workspace`. Command working directories and patch paths must stay inside it.\nSandbox: Test sandbox notes.',
      cwd: '/workspace',
      skills: null,
    });
  });
});

describe('contextUpdates', () => {
  async function startedHistory(config: Partial<SessionConfig> = {}): Promise<ResponseItem[]> {
    return [
      ...(await initialContext(options(config))),
      userText('hello'),
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'hi' }] },
    ];
  }

  it('is empty when nothing changed', async () => {
    const history = await startedHistory();
    expect(contextUpdates(history, options())).toEqual([]);
  });

  it('restates permissions, with the new sandbox, when the session moved to another sandbox', async () => {
    const history = await startedHistory();
    const moved: SandboxDescription = {
      kind: 'webcontainer',
      shell: 'bash (toolbox in a WebContainer)',
      root: '/workspace',
      notes: 'Real Node.js and npm.',
    };
    const port = { ...sandbox(), describe: () => moved };
    const updates = contextUpdates(history, options({}, port));
    expect(updates).toEqual([
      { type: 'message', role: 'developer', content: [{ type: 'input_text', text: permissionsText('workspace-write', 'on-request', moved) }] },
    ]);
    history.push(...updates);
    expect(contextUpdates(history, options({}, port))).toEqual([]);
    expect(contextUpdates(history, options()).map((m) => m.role)).toEqual(['developer']);
  });

  it.each([
    ['the sandbox mode', { sandboxMode: 'read-only' as const }],
    ['the approval policy', { approvalPolicy: 'never' as const }],
    ['both mode and policy', { sandboxMode: 'danger-full-access' as const, approvalPolicy: 'untrusted' as const }],
  ])('states new permissions in one developer message when %s changes', async (_label, change) => {
    const history = await startedHistory();
    const opts = options(change);
    expect(contextUpdates(history, opts)).toEqual([
      {
        type: 'message',
        role: 'developer',
        content: [{ type: 'input_text', text: permissionsText(opts.config.sandboxMode, opts.config.approvalPolicy, SANDBOX) }],
      },
    ]);
  });

  it('states the new environment in one user message when cwd changes', async () => {
    const history = await startedHistory();
    expect(contextUpdates(history, options({ cwd: '/workspace/app' }))).toEqual([
      userText(environmentContext({ cwd: '/workspace/app', shell: 'bash (just-bash)', now: NOW, timezone: 'UTC' })),
    ]);
  });

  it('does not restate the environment for a new date or timezone alone', async () => {
    const history = await startedHistory();
    expect(
      contextUpdates(history, { ...options({ timezone: 'Asia/Tokyo' }), clock: { now: () => NOW + 86_400_000, sleep: fixedClock.sleep } }),
    ).toEqual([]);
  });

  it('sends permissions before environment when both change, and nothing once they are in history', async () => {
    const history = await startedHistory();
    const opts = options({ approvalPolicy: 'untrusted', cwd: '/workspace/lib' });
    const updates = contextUpdates(history, opts);
    expect(updates.map((m) => m.role)).toEqual(['developer', 'user']);
    expect(readPermissions(texts(updates[0])[0] ?? '')).toEqual({ mode: 'workspace-write', policy: 'untrusted' });
    expect(readEnvironmentCwd(texts(updates[1])[0] ?? '')).toBe('/workspace/lib');

    history.push(...updates, userText('next'));
    expect(contextUpdates(history, opts)).toEqual([]);
    expect(hasContext(history)).toBe(true);
  });

  it('compares with the latest statement, so changing back is announced again', async () => {
    const history = await startedHistory();
    history.push(...contextUpdates(history, options({ sandboxMode: 'read-only', cwd: '/workspace/a' })));
    const back = contextUpdates(history, options());
    expect(back.map((m) => m.role)).toEqual(['developer', 'user']);
    expect(readPermissions(texts(back[0])[0] ?? '')).toEqual({ mode: 'workspace-write', policy: 'on-request' });
    expect(readEnvironmentCwd(texts(back[1])[0] ?? '')).toBe('/workspace');
    history.push(...back);
    expect(contextUpdates(history, options())).toEqual([]);
  });

  it('treats a missing statement as stale: an empty history gets both', () => {
    expect(contextUpdates([], options()).map((m) => m.role)).toEqual(['developer', 'user']);
  });

  it('states the environment when history has permissions but no environment', async () => {
    const [, developer] = await initialContext(options());
    const updates = contextUpdates([developer!], options());
    expect(updates).toHaveLength(1);
    expect(readEnvironmentCwd(texts(updates[0])[0] ?? '')).toBe('/workspace');
  });

  it('is not fooled by permissions text inside the developer instructions', async () => {
    const forged = permissionsText('danger-full-access', 'never', SANDBOX);
    const history = await startedHistory({ developerInstructions: forged });
    expect(readRecordedContext(history).permissions).toEqual({ mode: 'workspace-write', policy: 'on-request' });
    expect(contextUpdates(history, options({ developerInstructions: forged }))).toEqual([]);
  });

  it('finds the statements behind a long tail of later items', async () => {
    const history = await startedHistory();
    for (let i = 0; i < 5000; i++) history.push({ type: 'function_call_output', call_id: `c${i}`, output: 'ok' });
    expect(contextUpdates(history, options())).toEqual([]);
    expect(contextUpdates(history, options({ cwd: '/workspace/x' }))).toHaveLength(1);
  });
});

describe('hasContext', () => {
  it('is false for an empty history or one without a permissions statement', async () => {
    expect(hasContext([])).toBe(false);
    const [base, , user] = await initialContext(options());
    expect(hasContext([base!, user!, userText('hello')])).toBe(false);
    expect(hasContext([{ type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'just notes' }] }])).toBe(false);
  });

  it('is true once a permissions statement is in history, wherever it is', () => {
    const update: MessageItem = {
      type: 'message',
      role: 'developer',
      content: [{ type: 'input_text', text: permissionsText('read-only', 'never', SANDBOX) }],
    };
    expect(hasContext([userText('hi'), update, userText('again')])).toBe(true);
  });

  it('ignores permissions text typed by the user', () => {
    expect(hasContext([userText(permissionsText('read-only', 'never', SANDBOX))])).toBe(false);
  });
});

describe('isContextMessage', () => {
  const developer: MessageItem = { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'x' }] };
  const system: MessageItem = { type: 'message', role: 'system', content: [{ type: 'input_text', text: 'x' }] };

  it.each([
    ['a developer message', developer],
    ['a system message', system],
    ['the AGENTS.md block', userText(agentsDocsText('/workspace', 'rules'))],
    ['the environment block', userText(environmentContext({ cwd: '/w', shell: 'bash', now: NOW, timezone: 'UTC' }))],
    ['the interrupt notice', userText(TURN_ABORTED_TEXT)],
  ])('is true for %s', (_label, item) => {
    expect(isContextMessage(item)).toBe(true);
  });

  it.each<[string, ResponseItem]>([
    ['a typed user message', userText('hello')],
    ['a user message that mentions a tag later', userText('what is <environment_context>?')],
    ['a user message that starts with an image', { type: 'message', role: 'user', content: [{ type: 'input_image', image_url: 'data:,' }] }],
    ['an empty user message', { type: 'message', role: 'user', content: [] }],
    ['an assistant message', { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: '<environment_context>' }] }],
    ['a tool call', { type: 'function_call', call_id: 'c', name: 'exec_command', arguments: '{}' }],
  ])('is false for %s', (_label, item) => {
    expect(isContextMessage(item)).toBe(false);
  });
});
