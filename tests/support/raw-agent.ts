/**
 * The real loop over the real model client, talking to a raw HTTP server (tests/support/
 * raw-server.ts) instead of the scripted one: for failures the scripted server cannot stage
 * (connections reset before headers, keep-alive-only silences).
 */
import { Bash } from 'just-bash';
import { defaultConfig } from '../../src/core/config';
import type { AgentEvent } from '../../src/core/events';
import { Agent } from '../../src/core/loop';
import { createModelClient, type ModelClientOptions } from '../../src/model/client';
import { createJustBashPort } from '../../src/sandbox/just-bash-port';
import { RecordingClock } from './harness';
import type { RawServer } from './raw-server';

export interface RawAgent {
  agent: Agent;
  events: AgentEvent[];
  clock: RecordingClock;
}

export function rawAgent(server: RawServer, client: Partial<ModelClientOptions> = {}): RawAgent {
  const bash = new Bash({ cwd: '/workspace' });
  const clock = new RecordingClock();
  const agent = new Agent({
    model: createModelClient({ baseURL: server.baseURL, apiKey: 'sk-test', ...client }),
    sandbox: createJustBashPort({ bash, root: '/workspace', kind: 'embedded' }),
    retryClock: clock,
    sessionId: 'session-raw',
    random: () => 0.5,
    config: defaultConfig({ cwd: '/workspace', timezone: 'UTC' }),
  });
  const events: AgentEvent[] = [];
  agent.on((event) => events.push(event));
  return { agent, events, clock };
}
