/**
 * The page behind `/webcontainer/connect/<id>` (webcontainer-connect.html): a preview opened in a
 * new tab is sent here, and `setupConnect()` relays messages between that tab (our opener) and a
 * StackBlitz frame, which reaches the WebContainer running in the Unroll tab. The frame closes
 * this tab when the link is made. Kept apart from the app so none of it loads here.
 */
import { setupConnect } from '@webcontainer/api/connect';

const status = document.getElementById('status');

try {
  setupConnect();
  if (status) status.textContent = 'Linking the preview tab to the WebContainer in the Unroll tab… This tab closes by itself.';
} catch (err) {
  console.warn('[connect]', err);
  if (status) {
    status.textContent = window.opener
      ? `The preview could not be connected: ${err instanceof Error ? err.message : String(err)}`
      : 'Nothing to connect: this page links a preview opened with "Open in new tab" to the Unroll tab that runs it, and was opened some other way. Open the preview again from Unroll.';
  }
}
