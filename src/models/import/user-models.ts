/**
 * The specs of the user's imported models, kept in this browser's IndexedDB (their weights are kept by
 * the worker, as TF.js model artifacts at each spec's `indexeddb://` URL). Main thread, no TF.js.
 */
import type { ModelSpec } from '../registry';

const DB_NAME = 'whats-in-the-picture-user-models';
const STORE = 'specs';

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'id' });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB could not be opened'));
    request.onblocked = () => reject(new Error('IndexedDB is blocked by another tab of this app'));
  });
}

async function withStore<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await openDb();
  try {
    return await new Promise<T>((resolve, reject) => {
      const transaction = db.transaction(STORE, mode);
      const request = work(transaction.objectStore(STORE));
      transaction.oncomplete = () => resolve(request.result);
      transaction.onerror = () => reject(transaction.error ?? new Error('IndexedDB transaction failed'));
      transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB transaction was aborted (storage full?)'));
    });
  } finally {
    db.close();
  }
}

/** The imported models, oldest first. */
export async function readUserModels(): Promise<ModelSpec[]> {
  const specs = await withStore('readonly', (store) => store.getAll() as IDBRequest<(ModelSpec & { addedAt: number })[]>);
  return specs.sort((a, b) => a.addedAt - b.addedAt).map(({ addedAt: _, ...spec }) => spec);
}

export async function keepUserModel(spec: ModelSpec): Promise<void> {
  await withStore('readwrite', (store) => store.put({ ...spec, addedAt: Date.now() }));
}

export async function forgetUserModel(id: string): Promise<void> {
  await withStore('readwrite', (store) => store.delete(id));
}
