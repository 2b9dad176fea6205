// The requester's pending requests, kept in this browser's IndexedDB: the id, where to ask, the
// bearer token and the key pair — its private key a non-extractable CryptoKey, which IndexedDB
// stores as a key object that no script can read out. An entry is deleted once its answer was
// picked up, or the request was cancelled or has expired. Only the request page uses storage.
import type { EcdhKeys } from '../protocol/request.js';

export interface StoredRequest {
  id: string;
  server: string;
  token: string;
  expiresAt: string;
  note: string;
  link: string;
  keys: EcdhKeys;
}

const DB = 'hush-requests';
const STORE = 'requests';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => {
      req.result.createObjectStore(STORE, { keyPath: 'id' });
    };
    req.onsuccess = () => {
      resolve(req.result);
    };
    req.onerror = () => {
      reject(new Error('This browser does not let the page keep the request key (IndexedDB is unavailable, e.g. in a private window).'));
    };
  });
}

async function run<T>(mode: IDBTransactionMode, op: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = op(tx.objectStore(STORE));
      tx.oncomplete = () => {
        resolve(req.result);
      };
      tx.onerror = () => {
        reject(new Error('The request key could not be saved or read in this browser.'));
      };
    });
  } finally {
    db.close();
  }
}

export const saveRequest = (r: StoredRequest): Promise<IDBValidKey> => run('readwrite', (s) => s.put(r));
export const listRequests = (): Promise<StoredRequest[]> => run('readonly', (s) => s.getAll() as IDBRequest<StoredRequest[]>);
export const deleteRequest = (id: string): Promise<undefined> => run('readwrite', (s) => s.delete(id));
