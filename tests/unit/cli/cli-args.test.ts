/** parseRunnerArgs: what the headless runner makes of its command line and environment. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseRunnerArgs, USAGE, type RunnerArgs } from '../../../cli/args';

const dir = mkdtempSync(join(tmpdir(), 'unroll-args-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Parses with no environment; fails the test if the result is the help request. */
function parse(argv: string[], env: NodeJS.ProcessEnv = {}): RunnerArgs {
  const parsed = parseRunnerArgs(argv, env);
  if ('help' in parsed) throw new Error('unexpected --help result');
  return parsed;
}

describe('parseRunnerArgs', () => {
  it('has safe defaults and joins the positionals into the prompt', () => {
    expect(parse(['write', 'a', 'test '])).toEqual({
      prompt: 'write a test',
      cwd: process.cwd(),
      approval: 'on-request',
      sandbox: 'workspace-write',
      headers: {},
      query: {},
      json: false,
      quiet: false,
      demo: true,
    });
  });

  it('runs the demo model only when there is neither a key nor a base URL', () => {
    expect(parse(['hi']).demo).toBe(true);
    expect(parse(['hi', '--api-key', 'sk-1'])).toMatchObject({ demo: false, apiKey: 'sk-1' });
    expect(parse(['hi', '--base-url', 'http://localhost:11434/v1'])).toMatchObject({ demo: false, baseURL: 'http://localhost:11434/v1' });
    expect(parse(['hi'], { OPENAI_API_KEY: 'sk-env' })).toMatchObject({ demo: false, apiKey: 'sk-env' });
    expect(parse(['hi'], { OPENAI_BASE_URL: 'http://127.0.0.1:1234/v1' })).toMatchObject({ demo: false, baseURL: 'http://127.0.0.1:1234/v1' });
    // Blank values count as absent, and --demo wins over a configured key.
    expect(parse(['hi'], { OPENAI_API_KEY: '  ' }).demo).toBe(true);
    expect(parse(['hi', '--demo'], { OPENAI_API_KEY: 'sk-env' }).demo).toBe(true);
    // The flag wins over the environment.
    expect(parse(['hi', '--api-key', 'sk-flag'], { OPENAI_API_KEY: 'sk-env' }).apiKey).toBe('sk-flag');
  });

  it('reads every option', () => {
    const args = parse([
      '--model',
      'gpt-5.1-codex-mini',
      '--provider',
      'openrouter',
      '--api-key',
      'k',
      '--cwd',
      dir,
      '--approval',
      'untrusted',
      '--sandbox',
      'read-only',
      '--effort',
      'high',
      '--json',
      'go',
    ]);
    expect(args).toMatchObject({
      prompt: 'go',
      model: 'gpt-5.1-codex-mini',
      provider: 'openrouter',
      cwd: dir,
      approval: 'untrusted',
      sandbox: 'read-only',
      effort: 'high',
      json: true,
      quiet: false,
    });
  });

  it('parses repeated --header "K: V" and --query K=V, splitting at the first separator', () => {
    const args = parse([
      '--header',
      'X-Team: blue',
      '--header',
      'Authorization:Bearer a:b',
      '--query',
      'api-version=2025-04-01',
      '--query',
      'sig=a=b',
      'go',
    ]);
    expect(args.headers).toEqual({ 'X-Team': 'blue', Authorization: 'Bearer a:b' });
    expect(args.query).toEqual({ 'api-version': '2025-04-01', sig: 'a=b' });
  });

  it('rejects malformed --header and --query values with the expected shape', () => {
    expect(() => parse(['--header', 'NoColon', 'go'])).toThrow('--header expects "name: value", got "NoColon"');
    expect(() => parse(['--header', ': value', 'go'])).toThrow(/--header expects/);
    expect(() => parse(['--header', 'Bad Name: v', 'go'])).toThrow('--header name "Bad Name" is not a valid HTTP header name');
    expect(() => parse(['--query', 'novalue', 'go'])).toThrow('--query expects "name=value", got "novalue"');
    expect(() => parse(['--query', '=x', 'go'])).toThrow(/--query expects/);
  });

  it('rejects an unknown --approval, --sandbox, --effort or --provider and lists the choices', () => {
    expect(() => parse(['--approval', 'always', 'go'])).toThrow('--approval must be one of untrusted, on-request, never (got "always")');
    expect(() => parse(['--sandbox', 'none', 'go'])).toThrow(/--sandbox must be one of read-only, workspace-write, danger-full-access/);
    expect(() => parse(['--effort', 'max', 'go'])).toThrow(/--effort must be one of none, minimal, low, medium, high, xhigh/);
    expect(() => parse(['--provider', 'acme', 'go'])).toThrow(/--provider must be one of openai, azure/);
  });

  it('rejects other option mistakes with a message for the user', () => {
    expect(() => parse([])).toThrow(/a prompt is required/);
    expect(() => parse(['   '])).toThrow(/a prompt is required/);
    expect(() => parse(['--json', '--quiet', 'go'])).toThrow('--json and --quiet cannot be combined');
    expect(() => parse(['--base-url', 'localhost:11434', 'go'])).toThrow(/--base-url must be an http\(s\) URL/);
    expect(() => parse(['--provider', 'azure', '--api-key', 'k', 'go'])).toThrow('--provider azure needs --base-url');
    expect(() => parse(['--bogus', 'go'])).toThrow(/--bogus/);
  });

  it('resolves --cwd to an absolute path and insists on an existing directory', () => {
    expect(parse(['--cwd', relative(process.cwd(), dir), 'go']).cwd).toBe(dir);
    expect(() => parse(['--cwd', join(dir, 'missing'), 'go'])).toThrow(`--cwd ${join(dir, 'missing')} does not exist`);
    const file = join(dir, 'file.txt');
    writeFileSync(file, 'x');
    expect(() => parse(['--cwd', file, 'go'])).toThrow(`--cwd ${file} is not a directory`);
  });

  it('answers -h / --help with the help request, before checking anything else', () => {
    expect(parseRunnerArgs(['--help'], {})).toEqual({ help: true });
    expect(parseRunnerArgs(['-h', '--approval', 'bogus'], {})).toEqual({ help: true });
    for (const option of ['--base-url', '--approval', '--sandbox', '--header', '--query', '--json', '--quiet', '--demo']) {
      expect(USAGE).toContain(option);
    }
  });
});
