/** Small helpers shared by the MCP tests: waiting for a hub to settle on a condition. */
import type { McpHub } from '../../src/mcp/index';

/** Resolves once `predicate` holds, checking now and after every hub change; fails after `ms`. */
export function hubUntil(hub: McpHub, predicate: () => boolean, ms = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (predicate()) return resolve();
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`the hub did not reach the expected state within ${ms} ms: ${JSON.stringify(hub.servers())}`));
    }, ms);
    const stop = hub.onChange(() => {
      if (!predicate()) return;
      clearTimeout(timer);
      stop();
      resolve();
    });
  });
}
