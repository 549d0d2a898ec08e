/** Session documents as exported files hold them, as plain JSON data for a test to tamper with. */
import { userMessage } from '../../src/core/items';
import { emptySnapshot, type Snapshot } from '../../src/sandbox/snapshot';
import { assistant, documentWorkspace } from './store-helpers';

export const README = '# Todo\n';

/** The session details both document versions carry. */
const SESSION = { title: 'Imported', model: 'gpt-5.1', createdAt: 1000, updatedAt: 2000 };

/** A version 1 document (items and one snapshot), as earlier builds exported; `over` replaces its fields. */
export function v1Document(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    format: 'unroll-session',
    version: 1,
    session: { ...SESSION },
    items: [userMessage('hi'), assistant('hello')],
    snapshot: null,
    ...over,
  };
}

/** A version 2 document's workspace with one manifest (after record 2) holding `snapshot`. */
export function plainWorkspace(snapshot: Snapshot): unknown {
  return JSON.parse(JSON.stringify(documentWorkspace([snapshot], 2))) as unknown;
}

/** A version 2 document with one manifest naming README.md; `over` replaces its fields. */
export function v2Document(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    format: 'unroll-session',
    version: 2,
    session: { ...SESSION },
    log: [userMessage('hi'), assistant('hello')],
    workspace: plainWorkspace({ ...emptySnapshot(), files: { 'README.md': README } }),
    ...over,
  };
}
