// Files attached on the create page: picked with the button (a hidden file input) or dropped
// anywhere on the form. They stay File handles until "Create link" reads them; the size is checked
// against the server's limit (message and files together) before anything is read or encrypted,
// and the count against the protocol's MAX_FILES as they are added.
import { MAX_FILES, type EnvelopeFile } from '../protocol/envelope.js';
import { byId, setAlert, show } from './dom.js';
import { formatSize } from './format.js';
import { forgetMsg, setMsg } from './i18n/index.js';
import type { create as En } from './i18n/en.js';

export interface Attachments {
  count(): number;
  /** Bytes of the files, as the browser reports them (before reading). */
  size(): number;
  /** Reads every file; a file that cannot be read (moved, deleted) rejects with its name. */
  read(): Promise<EnvelopeFile[]>;
  clear(): void;
  /** Says the list, summary and help again (after a language switch, or once the limit is known). */
  refresh(): void;
}

export class UnreadableFile extends Error {
  constructor(readonly fileName: string) {
    super('a file could not be read');
  }
}

/** `limit`: the server's limit on one secret, message and files together (bytes). */
export function setupAttachments(form: HTMLFormElement, m: () => typeof En, limit: () => number): Attachments {
  const field = byId('files-field');
  const input = byId('files', HTMLInputElement);
  const list = byId('attached');
  const summary = byId('files-summary');
  const errorBox = byId('create-error');
  let files: File[] = [];
  /** Whether the error box says that files were refused (taken back once the list changes). */
  let refused = false;
  const changed = (): void => {
    if (refused) setAlert(errorBox, null);
    refused = false;
    render();
  };

  const total = (): number => files.reduce((n, f) => n + f.size, 0);
  function render(): void {
    for (const el of Array.from(list.querySelectorAll<HTMLElement>('span, button'))) forgetMsg(el);
    list.replaceChildren(
      ...files.map((file, i) => {
        const item = document.createElement('li');
        const name = document.createElement('span');
        name.textContent = file.name;
        const size = document.createElement('span');
        size.className = 'help';
        setMsg(size, () => formatSize(file.size));
        const remove = document.createElement('button');
        remove.type = 'button';
        setMsg(remove, () => m().remove);
        remove.setAttribute('aria-label', m().removeFile(file.name));
        remove.addEventListener('click', () => {
          files.splice(i, 1);
          changed();
          byId('add-files').focus();
        });
        item.append(name, size, remove);
        return item;
      }),
    );
    show(list, files.length > 0);
    show(summary, files.length > 0);
    setMsg(summary, () => m().filesSummary(files.length, formatSize(total()), formatSize(limit())));
    setMsg(byId('files-help'), () => m().filesHelp(formatSize(limit())));
  }
  const add = (more: FileList | null): void => {
    if (more === null || more.length === 0) return;
    if (files.length + more.length > MAX_FILES) {
      // Refused whole, not cut at the limit: which files stay out is the sender's choice (or an
      // archive), not the order their system listed them in. Nobody could open more anyway.
      setAlert(errorBox, () => m().tooManyFiles(MAX_FILES));
      refused = true;
      return;
    }
    files = files.concat(Array.from(more));
    changed();
  };

  byId('add-files').addEventListener('click', () => {
    input.click();
  });
  input.addEventListener('change', () => {
    add(input.files);
    input.value = ''; // the list above is the record; the same file can be picked again
  });
  // Dropping works anywhere on the form; the dashed box lights up while files hover over it.
  const dragging = (on: boolean): void => {
    field.classList.toggle('dragging', on);
  };
  form.addEventListener('dragover', (event) => {
    if (!event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    dragging(true);
  });
  form.addEventListener('dragleave', (event) => {
    if (event.relatedTarget === null || !form.contains(event.relatedTarget as Node)) dragging(false);
  });
  form.addEventListener('drop', (event) => {
    if (!event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    dragging(false);
    add(event.dataTransfer.files);
  });

  render();
  return {
    count: () => files.length,
    size: total,
    async read() {
      const out: EnvelopeFile[] = [];
      for (const file of files) {
        try {
          out.push({ name: file.name, type: file.type, content: new Uint8Array(await file.arrayBuffer()) });
        } catch {
          throw new UnreadableFile(file.name);
        }
      }
      return out;
    },
    clear() {
      files = [];
      changed();
    },
    refresh: render,
  };
}
