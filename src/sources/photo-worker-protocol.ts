/** Messages between the page and the photo worker (sources/prepare.worker.ts). */
import type { PreparedPhoto } from './prepare-photo';

export type ToPhotoWorker =
  | { type: 'prepare'; id: number; file: File; size: number; thumbnail: boolean }
  /** A thumbnail's object URL is no longer shown (its photo was removed). */
  | { type: 'revoke'; url: string };

export type FromPhotoWorker =
  /** Sent once at start: null, or why this engine cannot prepare photos in a worker (then the page does). */
  | { type: 'ready'; problem: string | null }
  | { type: 'prepared'; id: number; photo: PreparedPhoto }
  /** `onPage`: not an error, the page has to do this one (an SVG needs the DOM). */
  | { type: 'failed'; id: number; message: string; onPage: boolean };
