/**
 * One photo made ready for the model, in the page or in the photo worker (the same code in both): its
 * size, the centre crop the model sees, a thumbnail for the gallery (only the first time) and the crop
 * resized to the model's input. A decoded file is closed as soon as that is done, so a batch of
 * thousands holds only a few decoded photos at any time.
 */
import { centreCrop, type CropRect } from '../models/crop';
import { cropToInput, decodePhoto, makeThumbnail, type DecodedPhoto } from './photo-decode';

export interface PreparedPhoto {
  /** Size as decoded. */
  width: number;
  height: number;
  crop: CropRect;
  /** Things worth telling about the input (from decoding). */
  notes: string[];
  /** An object URL, when a thumbnail was asked for. */
  thumbnailUrl: string | null;
  /** The crop at the model's input size. */
  input: ImageBitmap;
}

/** The browser operations the preparation is made of (unit tests give fakes). */
export interface PrepareSteps {
  decode(file: File): Promise<DecodedPhoto>;
  thumbnail(bitmap: ImageBitmap): Promise<string>;
  toInput(bitmap: ImageBitmap, crop: CropRect, size: number): Promise<ImageBitmap>;
}

export const BROWSER_STEPS: PrepareSteps = { decode: decodePhoto, thumbnail: (bitmap) => makeThumbnail(bitmap), toInput: cropToInput };

/** A picture already decoded (a paused video frame): it stays open, it is the caller's. */
export async function prepareBitmap(bitmap: ImageBitmap, size: number, thumbnail: boolean, notes: string[] = [], steps = BROWSER_STEPS): Promise<PreparedPhoto> {
  const crop = centreCrop(bitmap.width, bitmap.height);
  const input = await steps.toInput(bitmap, crop, size);
  let thumbnailUrl: string | null = null;
  try {
    if (thumbnail) thumbnailUrl = await steps.thumbnail(bitmap);
  } catch (error) {
    input.close();
    throw error;
  }
  return { width: bitmap.width, height: bitmap.height, crop, notes, thumbnailUrl, input };
}

/** A file: decoded, prepared, and the decoded photo closed (also when a step fails). */
export async function prepareFile(file: File, size: number, thumbnail: boolean, steps = BROWSER_STEPS): Promise<PreparedPhoto> {
  const decoded = await steps.decode(file);
  try {
    return await prepareBitmap(decoded.bitmap, size, thumbnail, decoded.notes, steps);
  } finally {
    decoded.bitmap.close();
  }
}
