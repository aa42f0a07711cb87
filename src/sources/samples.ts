/**
 * Sample photos shipped with the app (public/samples/, small copies of the book's dog and cat, MIT
 * licence), so a first-time user sees it work in one tap. They go through the normal photo path as files.
 */
export const SAMPLES = [
  { id: 'dog', label: 'Dog', file: 'dog.jpg' },
  { id: 'cat', label: 'Cat', file: 'cat.jpg' },
] as const;

export type Sample = (typeof SAMPLES)[number];

/** Fetches a sample from this site (cached by the service worker for offline use) as a File. */
export async function fetchSample(sample: Sample, signal?: AbortSignal): Promise<File> {
  const response = await fetch(`samples/${sample.file}`, { signal });
  if (!response.ok) throw new Error(`The sample photo ${sample.file} could not be loaded (HTTP ${response.status}).`);
  const blob = await response.blob();
  return new File([blob], sample.file, { type: blob.type || 'image/jpeg' });
}
