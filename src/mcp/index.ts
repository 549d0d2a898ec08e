/** MCP servers over Streamable HTTP, for the tab and for Node: the hub and its helpers. */
export { McpHub, DEFAULT_CALL_TIMEOUT_MS, DEFAULT_STARTUP_TIMEOUT_MS } from './hub';
export type { McpHubOptions } from './hub';
export type { McpServerState, McpServerStatus } from './connection';
export { endpointUrl, parseMcpSpec, serverNameProblem, serverUrlProblem } from './config';
export type { McpServerConfig } from './config';
export { NEEDS_SIGN_IN, OAUTH_NO_METADATA, OAUTH_NOT_SUPPORTED, SIGN_IN_EXPIRED } from './errors';
export type { McpOAuthData, McpOAuthOptions, McpOAuthStore, OpenAuthorization } from './oauth';
