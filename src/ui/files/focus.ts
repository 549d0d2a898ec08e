import type { Attachment } from 'svelte/attachments';

/**
 * Focuses an input as soon as it is in the document: with the caret at the end of its value,
 * or with all of it selected (a rename). The `autofocus` attribute cannot do this: browsers
 * honour it only while the page loads, not for an input that appears on a click.
 */
export function focusOnMount(select: 'end' | 'all' = 'end'): Attachment<HTMLInputElement> {
  return (input) => {
    input.focus();
    if (select === 'all') input.select();
    else input.setSelectionRange(input.value.length, input.value.length);
  };
}
