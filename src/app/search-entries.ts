/**
 * A hosted web search as the chat shows it: the query and the sources the server reported
 * (`web_search_call` items, kept in history exactly as received). Only http(s) links are kept
 * as links; nothing is fetched.
 */
import type { OtherItem } from '../core/items';
import { describeWebSearch } from '../core/tools/web-search';

export interface SearchEntry {
  kind: 'search';
  /** What was searched (or opened), '' when the server did not say. */
  query: string;
  status: string;
  sources: { url: string; title?: string }[];
}

export function isSearchCall(item: OtherItem): boolean {
  return item.type === 'web_search_call';
}

export function searchEntry(item: OtherItem): SearchEntry {
  const action = (typeof item.action === 'object' && item.action !== null ? item.action : {}) as Record<string, unknown>;
  const search = describeWebSearch(item.action).detail;
  const query = search?.kind === 'web_search' ? search.query : '';
  const sources = (Array.isArray(action.sources) ? action.sources : []).flatMap((raw) => {
    const source = (raw ?? {}) as { url?: unknown; title?: unknown };
    if (typeof source.url !== 'string' || !/^https?:\/\//i.test(source.url)) return [];
    return [{ url: source.url, ...(typeof source.title === 'string' ? { title: source.title } : {}) }];
  });
  return { kind: 'search', query, status: typeof item.status === 'string' ? item.status : '', sources };
}
