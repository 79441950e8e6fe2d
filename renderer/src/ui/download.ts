/** Hands text to the browser as a file download: a Blob behind a temporary <a download>. */
export function downloadText(filename: string, mimeType: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: mimeType }));
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
