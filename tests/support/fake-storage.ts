/** `localStorage` and `sessionStorage` stood in for in Node. */
import { Settings, type SettingsOptions } from '../../src/app/settings.svelte';

/** A Storage-like map; `failWrites`/`failReads` make it throw the way browsers do. */
export class FakeStorage {
  readonly items = new Map<string, string>();
  failWrites = false;
  failReads = false;

  getItem(key: string): string | null {
    if (this.failReads) throw new DOMException('The operation is insecure.', 'SecurityError');
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    if (this.failWrites) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    if (this.failWrites) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    this.items.delete(key);
  }
}

/** A fresh local and session storage, and `open` making Settings over them. */
export function settingsStorages() {
  const local = new FakeStorage();
  const session = new FakeStorage();
  const open = (extra: SettingsOptions = {}) => new Settings({ local, session, ...extra });
  return { local, session, open };
}
