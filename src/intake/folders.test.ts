import { beforeEach, describe, expect, it } from 'vitest';
import { useAppStore } from '../store';
import { addFolderFiles, filesUnder, INTAKE_SLICE, looksLikeImage } from './folders';
import { PhotoQueue } from '../photos/photo-queue';

/** A directory tree as the File and Directory Entries API gives it; readers answer `perRead` entries at a time. */
function directory(fullPath: string, children: object[], perRead = 2) {
  return {
    isFile: false,
    isDirectory: true,
    fullPath,
    createReader() {
      let at = 0;
      return {
        readEntries(success: (entries: object[]) => void) {
          setTimeout(() => success(children.slice(at, (at += perRead))));
        },
      };
    },
  };
}
function fileEntry(fullPath: string) {
  const name = fullPath.split('/').pop() ?? '';
  return { isFile: true, isDirectory: false, fullPath, file: (success: (f: File) => void) => setTimeout(() => success(new File(['x'], name))) };
}

describe('folder intake', () => {
  beforeEach(() => useAppStore.setState(useAppStore.getInitialState(), true));

  /** A queue that records each call's file names. */
  const recordingQueue = () => {
    const added: string[][] = [];
    const queue = { addFiles: async (files: File[]) => void added.push(files.map((f) => f.name)) } as Pick<PhotoQueue, 'addFiles'>;
    return { added, queue };
  };

  it('reads nested folders completely, readers that answer in pieces included', async () => {
    const tree = directory('/trip', [
      fileEntry('/trip/c.jpg'),
      directory('/trip/day1', [fileEntry('/trip/day1/a.jpg'), fileEntry('/trip/day1/notes.txt'), fileEntry('/trip/day1/b.png')]),
      fileEntry('/trip/a.jpg'),
      directory('/trip/empty', []),
    ]);
    const files = await filesUnder([tree, fileEntry('/loose.gif')]);
    expect(files.map((f) => f.name)).toEqual(['a.jpg', 'c.jpg', 'a.jpg', 'b.png', 'notes.txt', 'loose.gif']);
  });

  it('judges images by type, or by name when there is no type', () => {
    expect(looksLikeImage(new File([''], 'x', { type: 'image/webp' }))).toBe(true);
    expect(looksLikeImage(new File([''], 'IMG_1.HEIC'))).toBe(true);
    expect(looksLikeImage(new File([''], 'clip.mp4', { type: 'video/mp4' }))).toBe(false);
    expect(looksLikeImage(new File([''], 'readme'))).toBe(false);
  });

  it('adds the images once, and one notice counts the non-images and duplicates skipped', async () => {
    const { added, queue } = recordingQueue();
    const a = new File(['aa'], 'a.jpg', { type: 'image/jpeg', lastModified: 1 });
    const sameAsA = new File(['aa'], 'a.jpg', { type: 'image/jpeg', lastModified: 1 });
    const otherA = new File(['aaa'], 'a.jpg', { type: 'image/jpeg', lastModified: 1 });
    await addFolderFiles([a, new File(['t'], 'notes.txt', { type: 'text/plain' }), sameAsA, otherA, new File([''], 'clip.mp4', { type: 'video/mp4' })], queue);
    expect(added).toEqual([['a.jpg', 'a.jpg']]);
    expect(useAppStore.getState().notices.map((n) => n.message)).toEqual([
      'Added 2 photos; skipped 2 files that are not images and 1 duplicate (same name, size and date as a photo already added).',
    ]);
  });

  it('a big folder: keys read a slice at a time, each slice queued at once, in order; one notice at the end', async () => {
    const { added, queue } = recordingQueue();
    const asked: number[] = [];
    const keysOf = async (files: File[]) => {
      asked.push(files.length);
      return files.map((f) => `${f.name}/${f.size}/${f.lastModified}`);
    };
    const names = Array.from({ length: INTAKE_SLICE * 2 + 10 }, (_, i) => `${String(i).padStart(4, '0')}.jpg`);
    const files = names.map((name) => new File(['x'], name, { type: 'image/jpeg', lastModified: 1 }));
    await addFolderFiles([...files, new File(['t'], 'notes.txt', { type: 'text/plain' }), files[3]], queue, useAppStore, keysOf);
    // The photos already added (none), then three slices of images (the last with the duplicate).
    expect(asked).toEqual([0, INTAKE_SLICE, INTAKE_SLICE, 11]);
    expect(added.map((slice) => slice.length)).toEqual([INTAKE_SLICE, INTAKE_SLICE, 10]);
    expect(added.flat()).toEqual(names);
    expect(useAppStore.getState().notices.map((n) => n.message)).toEqual([
      `Added ${names.length} photos; skipped 1 file that is not an image and 1 duplicate (same name, size and date as a photo already added).`,
    ]);
  });

  it('two folders added at once: the second is judged against all of the first', async () => {
    const photos = new PhotoQueue(
      { client: {} as never, whenSettled: () => new Promise(() => undefined), token: 0, isCurrent: () => true, onSwitch: () => () => undefined, forget: () => undefined },
      useAppStore,
    );
    const files = Array.from({ length: 30 }, (_, i) => new File(['x'], `${i}.jpg`, { type: 'image/jpeg', lastModified: 1 }));
    await Promise.all([addFolderFiles(files, photos), addFolderFiles(files.slice(10), photos)]);
    expect(useAppStore.getState().photos).toHaveLength(30);
    expect(useAppStore.getState().notices.at(-1)?.message).toBe('Added 0 photos; skipped 20 duplicates (same name, size and date as a photo already added).');
  });
});
