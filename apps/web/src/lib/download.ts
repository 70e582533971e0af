/**
 * Saves text the SPA already holds (a CSV export) as a file, through a temporary object URL
 * and a clicked `<a download>`: the browser's own download flow, no new window.
 */
export function downloadText(filename: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked after the click has been handled, so the download has started reading it.
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
}
