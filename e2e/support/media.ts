/** The shared, read-only media the specs use (never copied into the repository), and what is in it. */
import path from 'node:path';

const MEDIA_DIR = path.resolve(import.meta.dirname, '../../../shared/media');
const media = (name: string): string => path.join(MEDIA_DIR, name);
export const DOG = media('dog.jpg');
export const CAT = media('cat.jpg');
export const IMAGENET_SAMPLE_DIR = media('imagenet-sample');
/** The book's kitchen video (drinks fridge in a shop, then a banana on a counter), 540×960, 25 fps, 341 frames. */
export const KITCHEN_WEBM = media('kitchen.webm');
export const KITCHEN_MP4 = media('kitchen.mp4');
export const KITCHEN_FRAMES = 341;

/** Keras ImageNet indices of the two Welsh corgi classes (Pembroke, Cardigan). */
export const CORGI_CLASSES = [263, 264];
/** Keras ImageNet indices of the domestic cat classes (tabby … Egyptian cat). */
export const DOMESTIC_CAT_CLASSES = [281, 282, 283, 284, 285];

/**
 * Where the corgi is in dog.jpg (2230×2230), in 0–1 photo coordinates (x right, y down), read off the
 * photo with a 0.1 grid: the head (ear tips at y≈0.03, left ear from x≈0.10, muzzle/nose to x≈0.56),
 * the chest and the tongue (down to y≈0.62) and the neck/back behind the head (to x≈0.62). Left out
 * on purpose: the tutu and the leash on the right (x > 0.62), the legs and paws and the sand below
 * them (y > 0.70), so a peak on the dress, the leash or the beach fails the test (only the box's top
 * corners, beside the ears, are sand). Measured peaks: MobileNet (0.25, 0.37), the cheek next to the
 * left eye; ResNet-50 (0.38, 0.50), the chin above the tongue.
 */
export const CORGI_HEAD_AND_CHEST = { x0: 0.1, x1: 0.62, y0: 0.03, y1: 0.7 };

export type ModelId = 'resnet50' | 'mobilenet_v1_0.75' | 'darknet_tiny';
export type Backend = 'auto' | 'webgl' | 'wasm' | 'cpu';
export const MOBILENET: ModelId = 'mobilenet_v1_0.75';
export const RESNET50: ModelId = 'resnet50';
export const DARKNET_TINY: ModelId = 'darknet_tiny';
/** The names the app shows (and exports) for the models. */
export const MODEL_NAMES: Record<ModelId, string> = { 'mobilenet_v1_0.75': 'MobileNet v1 0.75', resnet50: 'ResNet-50', darknet_tiny: 'Tiny Darknet' };
