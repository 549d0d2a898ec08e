/** Hands a file to the browser as a download under its own name. */
export function saveFile(file: File): void {
  const url = URL.createObjectURL(file);
  const link = document.createElement('a');
  link.href = url;
  link.download = file.name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked later, not at once: the browser may still be reading the URL to start the download.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
