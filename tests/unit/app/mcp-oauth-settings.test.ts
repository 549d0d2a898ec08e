/**
 * Where the app keeps MCP sign-ins (ToolSettings): in the MCP secrets slot only, by server,
 * never in `toJSON` or the tools slot; dropped when the server's address changes or it is
 * removed; saved without a reconnect.
 */
import { describe, expect, it } from 'vitest';
import { MCP_SECRETS_STORAGE_KEY, TOOLS_STORAGE_KEY, ToolSettings } from '../../../src/app/tool-settings.svelte';

function memory(): Map<string, string> & { getItem(k: string): string | null; setItem(k: string, v: string): void; removeItem(k: string): void } {
  const map = new Map<string, string>();
  return Object.assign(map, {
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
    removeItem: (k: string) => void map.delete(k),
  });
}

const TOKENS = { access_token: 'at-SECRET', refresh_token: 'rt-SECRET', token_type: 'Bearer' };

describe('ToolSettings: MCP sign-ins', () => {
  it('keeps sign-ins in the secrets slot only, by the name the hub knows', () => {
    const storage = memory();
    const tools = new ToolSettings(storage);
    const server = tools.addServer();
    tools.updateServer(server.id, { name: 'docs', url: 'https://mcp.test/mcp' });
    let changes = 0;
    tools.onChange = () => changes++;

    const store = tools.oauthStore();
    store.save('docs', { url: 'https://mcp.test/mcp', tokens: TOKENS, client: { client_id: 'c-1' } });
    expect(changes).toBe(0);
    expect(store.load('docs')).toMatchObject({ tokens: TOKENS });
    expect(store.load('other')).toBeUndefined();
    expect(tools.isSignedIn(server.id)).toBe(true);
    expect(storage.get(MCP_SECRETS_STORAGE_KEY)).toContain('at-SECRET');
    expect(storage.get(TOOLS_STORAGE_KEY)).not.toContain('SECRET');
    expect(JSON.stringify(tools)).not.toContain('SECRET');
    expect(JSON.stringify(tools.hubConfigs())).not.toContain('SECRET');

    // A reload reads it back.
    const again = new ToolSettings(storage);
    expect(again.isSignedIn(server.id)).toBe(true);
    expect(again.oauthStore().load('docs')).toMatchObject({ tokens: TOKENS });

    store.forget('docs');
    expect(tools.isSignedIn(server.id)).toBe(false);
    expect(storage.get(MCP_SECRETS_STORAGE_KEY)).not.toContain('SECRET');
  });

  it('drops a sign-in when the address changes or the server is removed, and keeps the client id with the settings', () => {
    const storage = memory();
    const tools = new ToolSettings(storage);
    const server = tools.addServer();
    tools.updateServer(server.id, { name: 'docs', url: 'https://mcp.test/mcp', oauthClientId: 'pre-registered' });
    expect(tools.hubConfigs()).toEqual([{ name: 'docs', url: 'https://mcp.test/mcp', oauthClientId: 'pre-registered' }]);
    tools.oauthStore().save('docs', { url: 'https://mcp.test/mcp', tokens: TOKENS });

    tools.updateServer(server.id, { name: 'docs2' });
    expect(tools.isSignedIn(server.id)).toBe(true);
    tools.updateServer(server.id, { url: 'https://elsewhere.test/mcp' });
    expect(tools.isSignedIn(server.id)).toBe(false);
    expect(storage.get(MCP_SECRETS_STORAGE_KEY)).not.toContain('SECRET');

    tools.updateServer(server.id, { url: 'https://mcp.test/mcp' });
    tools.oauthStore().save('docs2', { url: 'https://mcp.test/mcp', tokens: TOKENS });
    tools.removeServer(server.id);
    expect(storage.get(MCP_SECRETS_STORAGE_KEY)).not.toContain('SECRET');
  });
});
