/** What `app/` uses from the store: the port, its IndexedDB implementation, locks, export and share links. */
export type * from './session-store';
export { createSessionStore, openSessionStore, type StoreOptions } from './idb-session-store';
export { openDatabase, type Database, type OpenOptions } from './db';
export { StoreError, toStoreError, type StoreErrorKind } from './errors';
export { acquireSessionLock, broadcastLockProvider, defaultLockProvider, webLocksProvider, type LockProvider, type SessionLock } from './lock';
export { buildDocument, checkDocument, documentFiles, documentView, serializeDocument, type DocumentCheck } from './export';
export { decodeShare, encodeShare, SHARE_URL_SAFE_CHARS, shareUrl, stripForShare, type Dropped, type ShareLink } from './share';
export { autoTitle, DEFAULT_TITLE, titleFromText } from './title';
