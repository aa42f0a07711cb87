import { beforeEach, describe, expect, it } from 'vitest';
import { useAppStore } from '../store';
import { addFolderFiles, filesUnder, looksLikeImage } from './folders';
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
    const added: string[][] = [];
    const queue = { addFiles: async (files: File[]) => void added.push(files.map((f) => f.name)) } as Pick<PhotoQueue, 'addFiles'>;
    const a = new File(['aa'], 'a.jpg', { type: 'image/jpeg', lastModified: 1 });
    const sameAsA = new File(['aa'], 'a.jpg', { type: 'image/jpeg', lastModified: 1 });
    const otherA = new File(['aaa'], 'a.jpg', { type: 'image/jpeg', lastModified: 1 });
    await addFolderFiles([a, new File(['t'], 'notes.txt', { type: 'text/plain' }), sameAsA, otherA, new File([''], 'clip.mp4', { type: 'video/mp4' })], queue);
    expect(added).toEqual([['a.jpg', 'a.jpg']]);
    expect(useAppStore.getState().notices.map((n) => n.message)).toEqual([
      'Added 2 photos; skipped 2 files that are not images and 1 duplicate (same name, size and date as a photo already added).',
    ]);
  });
});
