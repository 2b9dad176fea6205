// Received files, offered for download. Each is a Blob typed application/octet-stream behind an
// <a download>: the browser saves it and never renders it in Hush's origin, where an HTML or SVG
// file would run next to the key. The name shown and suggested is cleaned (safeFileName) and set
// as text, never as markup.
import type { EnvelopeFile } from '../protocol/envelope.js';
import { safeFileName } from '../shared/filenames.js';
import { formatSize } from './format.js';
import { forgetMsg, setMsg } from './i18n/index.js';

/** Fills `list` with one download link per file; returns what takes them off the page again. */
export function offerFiles(list: HTMLElement, files: readonly EnvelopeFile[]): () => void {
  const urls: string[] = [];
  const sizes: HTMLElement[] = [];
  for (const file of files) {
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
    for (const url of urls) URL.revokeObjectURL(url);
    for (const size of sizes) forgetMsg(size);
    list.replaceChildren();
  };
}
