/** Hands a file to the browser as a download: a Blob behind a temporary <a download>. */
export function downloadBlob(filename: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken its own reference once the click is handled; the URL can go after that.
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Hands text to the browser as a file download. */
export function downloadText(filename: string, mimeType: string, content: string): void {
  downloadBlob(filename, new Blob([content], { type: mimeType }));
}
