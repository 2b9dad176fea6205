// What the two pages that open a secret (reveal, stateless) show of it: the text in #secret-text,
// and each file offered for download in #file-list. A file is a Blob typed
// application/octet-stream behind an <a download>: the browser saves it and never renders it in
// Hush's origin, where an HTML or SVG file would run next to the key. The name shown and suggested
// is cleaned (safeFileName) and set as text, never as markup.
import type { EnvelopeFile } from '../protocol/envelope.js';
import { safeFileName } from '../shared/filenames.js';
import { byId, show } from './dom.js';
import { formatSize } from './format.js';
import { forgetMsg, setMsg } from './i18n/index.js';

/**
 * Puts an opened secret on the page: files alone get no empty text box, text alone (or a raw
 * payload) no file list. Returns what takes all of it off the page again (pagehide).
 */
export function showReceived(textBox: HTMLTextAreaElement, opened: { message: string; files: readonly EnvelopeFile[] }): () => void {
  textBox.value = opened.message;
  show(byId('text-block'), opened.message !== '' || opened.files.length === 0);
  show(byId('files-block'), opened.files.length > 0);
  const list = byId('file-list');
  const urls: string[] = [];
  const sizes: HTMLElement[] = [];
  for (const file of opened.files) {
    const name = safeFileName(file.name);
    const url = URL.createObjectURL(new Blob([file.content as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }));
    urls.push(url);
    const item = document.createElement('li');
    const link = document.createElement('a');
    link.href = url;
    link.download = name;
    link.className = 'file';
    link.textContent = name;
    const size = document.createElement('span');
    size.className = 'help';
    item.append(link, ' ', size);
    setMsg(size, () => formatSize(file.content.length));
    sizes.push(size);
    list.append(item);
  }
  return () => {
    textBox.value = '';
    for (const url of urls) URL.revokeObjectURL(url);
    for (const size of sizes) forgetMsg(size);
    list.replaceChildren();
  };
}
