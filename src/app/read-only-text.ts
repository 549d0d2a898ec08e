/**
 * What the composer says while the open session is read-only. It names the same way out as
 * the notice above the chat (SessionBanner): a shared view is forked, a session open in
 * another tab is taken over with "Use it here".
 */
export function readOnlyText(state: { shared: unknown; lockedElsewhere: boolean }): string {
  if (state.shared) return 'Read-only shared session: choose “Fork to continue” above to work on it here';
  if (state.lockedElsewhere) return 'Read-only here: this session is open in another tab. Choose “Use it here” above to continue in this tab';
  return 'Read-only: this session cannot be changed here';
}
