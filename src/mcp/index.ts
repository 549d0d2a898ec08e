/** MCP servers over Streamable HTTP, for the tab and for Node: the hub and its helpers. */
export { McpHub } from './hub';
export { endpointUrl, parseMcpSpec } from './config';
export type { McpServerConfig } from './config';
export { NEEDS_SIGN_IN, OAUTH_NO_METADATA, OAUTH_NOT_SUPPORTED, SIGN_IN_EXPIRED } from './errors';
export type { McpOAuthData, McpOAuthStore, OpenAuthorization } from './oauth';
