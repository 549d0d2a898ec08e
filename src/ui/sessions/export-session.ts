import type { Sessions } from '../../app/sessions.svelte';
import { saveFile } from '../files/download';

/** Downloads session `id` as its export file; failures land in `sessions.problem`. */
export async function downloadSession(sessions: Sessions, id: string): Promise<void> {
  const file = await sessions.exportFile(id);
  if (file) saveFile(file);
}
