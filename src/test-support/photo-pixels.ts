/** A photo as the app feeds it to a 224×224 model: decoded by ffmpeg, shorter side resized to 256, centre crop 224 (RGB bytes). */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** The book's dog photo (a corgi in a tutu), from the shared media. */
export const DOG_PHOTO = join(import.meta.dirname, '../../../shared/media/dog.jpg');

export function centreCropPixels(file: string): Uint8Array {
  return execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-vf', 'scale=256:256:force_original_aspect_ratio=increase,crop=224:224', '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], {
    maxBuffer: 1 << 20,
  });
}
