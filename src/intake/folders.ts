/**
 * Folders in: a picked folder (`webkitdirectory`) or folders dropped on the page, read recursively.
 * Files that are not images are skipped and counted, files already added (same name, size and
 * modification time) are skipped and said, all in one notice; the rest go to the photo queue.
 */
import { fileKeys } from '../sources/file-key';
import { photoLibrary } from '../sources/photo-library';
import { useAppStore } from '../store';
import type { PhotoQueue } from '../photos/photo-queue';

const IMAGE_NAME = /\.(jpe?g|jfif|png|webp|gif|bmp|avif|svg|heic|heif)$/i;

/** By type, or by name when the browser gives no type. HEIC is kept: the queue says why it cannot be read. */
export function looksLikeImage(file: File): boolean {
  return file.type ? file.type.startsWith('image/') : IMAGE_NAME.test(file.name);
}

/** The subset of the File and Directory Entries API a drop gives. */
interface Entry {
  isFile: boolean;
  isDirectory: boolean;
  fullPath: string;
}
interface FileEntry extends Entry {
  file(success: (file: File) => void, failure: (error: unknown) => void): void;
}
interface DirectoryEntry extends Entry {
  createReader(): { readEntries(success: (entries: Entry[]) => void, failure: (error: unknown) => void): void };
}

/** All files under the entries, folders read recursively in name order (a directory reader answers in pieces until an empty one). */
export async function filesUnder(entries: Entry[]): Promise<File[]> {
  const files: File[] = [];
  const visit = async (entry: Entry): Promise<void> => {
    if (entry.isFile) {
      files.push(await new Promise<File>((resolve, reject) => (entry as FileEntry).file(resolve, reject)));
    } else if (entry.isDirectory) {
      const reader = (entry as DirectoryEntry).createReader();
      const children: Entry[] = [];
      for (;;) {
        const batch = await new Promise<Entry[]>((resolve, reject) => reader.readEntries(resolve, reject));
        if (batch.length === 0) break;
        children.push(...batch);
      }
      // In name order, as a file browser lists them.
      for (const child of children.sort((a, b) => a.fullPath.localeCompare(b.fullPath))) await visit(child);
    }
  };
  for (const entry of entries) await visit(entry);
  return files;
}

/**
 * What was dropped: the files, and whether folders were among them (then expanded). Must be called
 * in the drop event itself: the browser empties the DataTransfer afterwards.
 */
export function readDrop(dataTransfer: DataTransfer): Promise<{ files: File[]; folders: boolean }> {
  const files = Array.from(dataTransfer.files);
  const entries = Array.from(dataTransfer.items ?? [])
    .filter((item) => item.kind === 'file')
    .map((item) => item.webkitGetAsEntry?.() as Entry | null);
  if (!entries.some((entry) => entry?.isDirectory)) return Promise.resolve({ files, folders: false });
  return filesUnder(entries.filter((entry): entry is Entry => entry !== null)).then((all) => ({ files: all, folders: true }));
}

/** Folder intakes one after another, so a second folder's duplicates are judged against all of the first. */
let intakes: Promise<void> = Promise.resolve();

/** Files looked at together: the first photos are classified while the rest of a big folder is looked at. */
export const INTAKE_SLICE = 500;

/** Each file's key (see sources/file-key). */
type KeysOf = (files: File[]) => Promise<string[]>;

/**
 * Adds a folder's images to the queue; one notice at the end counts what was skipped. The files' keys
 * (name, size, date) are read INTAKE_SLICE files at a time, yielding to the page, and each slice's new
 * photos are queued at once: the first are classified while the rest of a big folder is looked at.
 */
export function addFolderFiles(files: File[], queue: Pick<PhotoQueue, 'addFiles'>, store = useAppStore, keysOf: KeysOf = fileKeys): Promise<void> {
  const run = intakes.then(() => addInSlices(files, queue, store, keysOf));
  intakes = run.catch(() => undefined);
  return run;
}

async function addInSlices(files: File[], queue: Pick<PhotoQueue, 'addFiles'>, store: typeof useAppStore, keysOf: KeysOf): Promise<void> {
  // Photos that failed or were cancelled may come again.
  const earlier: File[] = [];
  for (const photo of store.getState().photos) {
    const source = photo.state === 'error' ? undefined : photoLibrary.source(photo.id);
    if (source?.kind === 'file') earlier.push(source.file);
  }
  const known = new Set(await keysOf(earlier));
  const images = files.filter(looksLikeImage);
  let added = 0;
  for (let start = 0; start < images.length; start += INTAKE_SLICE) {
    const slice = images.slice(start, start + INTAKE_SLICE);
    const keys = await keysOf(slice);
    const unique = slice.filter((_, i) => {
      if (known.has(keys[i])) return false;
      known.add(keys[i]);
      return true;
    });
    added += unique.length;
    await queue.addFiles(unique);
  }
  const skipped = files.length - images.length;
  const duplicates = images.length - added;
  const said = [
    skipped > 0 ? `${skipped} ${skipped === 1 ? 'file that is' : 'files that are'} not ${skipped === 1 ? 'an image' : 'images'}` : '',
    duplicates > 0 ? `${duplicates} ${duplicates === 1 ? 'duplicate' : 'duplicates'} (same name, size and date as a photo already added)` : '',
  ].filter(Boolean);
  if (said.length > 0) store.getState().notify('info', `Added ${added} ${added === 1 ? 'photo' : 'photos'}; skipped ${said.join(' and ')}.`);
}
