/** What went wrong, in words for the person: a store's own message, a plain Error's, or a store error's reading of anything else. */
import { StoreError, toStoreError } from '../store/errors';

export function describeError(err: unknown): string {
  if (err instanceof StoreError) return err.userMessage;
  if (err instanceof Error && err.name === 'Error') return err.message;
  return toStoreError(err).userMessage;
}
