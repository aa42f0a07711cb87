import { afterEach, describe, expect, it, vi } from 'vitest';
import { fileKey, fileKeys } from './file-key';

/** A file that counts how often its size is read (a disk read in a browser). */
function countingFile(name: string, size: number) {
  const file = new File(['x'], name, { lastModified: 5 });
  let reads = 0;
  Object.defineProperty(file, 'size', { get: () => (reads++, size) });
  return { file, reads: () => reads };
}

describe('file keys', () => {
  afterEach(() => vi.restoreAllMocks());

  it('name, size and date; each file read once', () => {
    const { file, reads } = countingFile('a.jpg', 1234);
    expect(fileKey(file)).toBe('a.jpg\n1234\n5');
    expect(fileKey(file)).toBe('a.jpg\n1234\n5');
    expect(reads()).toBe(1);
  });

  it('many files: in order, giving the page its turn between slices', async () => {
    // Every look at the clock takes 1 ms: a slice ends after a few files.
    let now = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => (now += 1));
    let turns = 0;
    const other = setInterval(() => turns++, 0);
    const files = Array.from({ length: 40 }, (_, i) => countingFile(`${i}.jpg`, i).file);
    const keys = await fileKeys(files);
    clearInterval(other);
    expect(keys).toEqual(files.map((_, i) => `${i}.jpg\n${i}\n5`));
    expect(turns, 'other tasks ran meanwhile').toBeGreaterThan(0);
  });
});
