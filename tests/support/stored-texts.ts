/**
 * Everything the app keeps or shows in a browser test's page, as text: the DOM, every
 * localStorage entry but the ones named, and every IndexedDB store. For tests that look for a
 * secret where it must not be.
 */
import type { Page } from '@playwright/test';

export function storedTexts(page: Page, exceptKeys: string[]): Promise<string> {
  return page.evaluate(async (except) => {
    const texts: string[] = [document.documentElement.outerHTML];
    for (const key of Object.keys(localStorage)) if (!except.includes(key)) texts.push(`${key}=${localStorage.getItem(key)}`);
    for (const info of await indexedDB.databases()) {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(info.name!);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      for (const store of [...db.objectStoreNames]) {
        const all = await new Promise<unknown[]>((resolve, reject) => {
          const request = db.transaction(store).objectStore(store).getAll();
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
        texts.push(JSON.stringify(all, (_k, v) => (v instanceof Uint8Array || v instanceof ArrayBuffer ? '[bytes]' : v)));
      }
      db.close();
    }
    return texts.join('\n');
  }, exceptKeys);
}
