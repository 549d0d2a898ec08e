/**
 * Starts the test MCP server as its own process, for browser tests:
 *   npx tsx tests/support/mcp-server-main.ts [--port N] [--token T] [--page-size N] [--no-shuffle]
 * Prints one line, `MCP_URL=http://127.0.0.1:PORT/mcp`, once it listens. `/control/*` is on:
 * POST /control/tools/NAME {"reply": "…"} adds a tool, DELETE /control/tools/NAME removes one,
 * GET /control/requests returns the request log; GET /health answers "ok".
 */
import { parseArgs } from 'node:util';
import { startMcpTestServer } from './mcp-server';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    token: { type: 'string' },
    'page-size': { type: 'string' },
    'no-shuffle': { type: 'boolean' },
  },
});

const server = await startMcpTestServer({
  port: Number(values.port ?? 0),
  control: true,
  ...(values.token ? { token: values.token } : {}),
  ...(values['page-size'] ? { pageSize: Number(values['page-size']) } : {}),
  ...(values['no-shuffle'] ? { shuffle: false } : {}),
});
process.stdout.write(`MCP_URL=${server.url}\n`);

const stop = () => void server.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
