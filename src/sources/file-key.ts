/**
 * Same file as far as a person can tell: same name, size and modification time (how a folder's
 * duplicates are found). For a file on disk the browser reads its size and date from the disk,
 * synchronously (in Chromium a round trip to the browser process, ≈ 0.1 ms, far more when that process
 * is busy; handing the File to a worker costs the same), so each File's key is read once and kept, and
 * many files are read in slices that give the page its turn between them.
 */
import { sliceClock } from '../yield-to-page';

const keys = new WeakMap<File, string>();

export function fileKey(file: File): string {
  let key = keys.get(file);
  if (key === undefined) {
    key = `${file.name}\n${file.size}\n${file.lastModified}`;
    keys.set(file, key);
  }
  return key;
}

/** The keys of many files, yielding to the page every few milliseconds. */
export async function fileKeys(files: File[]): Promise<string[]> {
  const result: string[] = [];
  const clock = sliceClock();
  for (const file of files) {
    result.push(fileKey(file));
    if (clock.due()) await clock.yield();
  }
  return result;
}
