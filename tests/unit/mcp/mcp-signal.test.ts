/** A turn's signal serves every MCP call of the turn: no call may leave a listener on it. */
import { getEventListeners } from 'node:events';
import { afterEach, expect, it } from 'vitest';
import { McpHub } from '../../../src/mcp/hub';
import { startMcpTestServer, type McpTestServer } from '../../support/mcp-server';

let server: McpTestServer | undefined;
let hub: McpHub | undefined;
afterEach(async () => {
  await hub?.close();
  await server?.close();
  hub = server = undefined;
});

it('leaves no abort listener on the caller signal after its calls, and an abort still stops a call', async () => {
  server = await startMcpTestServer({});
  hub = new McpHub();
  await hub.setServers([{ name: 'docs', url: server.url }]);
  const turn = new AbortController();
  for (let i = 0; i < 20; i++) await hub.callTool('docs', 'echo', { text: String(i) }, { signal: turn.signal });
  expect(getEventListeners(turn.signal, 'abort')).toHaveLength(0);
  const slow = hub.callTool('docs', 'slow', { ms: 5_000 }, { signal: turn.signal });
  setTimeout(() => turn.abort(), 20);
  await expect(slow).rejects.toMatchObject({ name: 'AbortError' });
});
