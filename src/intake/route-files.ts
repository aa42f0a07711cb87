/**
 * Where files go, by what they are (their first bytes), whichever way they came in: pictures to the
 * photos, a video (or a sound file, which the live view refuses with a reason) to the live view.
 * A short notice says so whenever a file goes elsewhere than the way it came in suggests.
 */
import { openVideoLazily } from '../live/lazy';
import { photoQueue } from '../photos';
import { sniffFile, type Sniffed } from '../sources/sniff';
import { useAppStore } from '../store';

/** The way files came in: "Choose photos…", "Open video…", or dropped / pasted on the page. */
export type Intake = 'photos' | 'video' | 'drop';

interface Incoming {
  file: File;
  content: Sniffed;
}

/**
 * Files whose first bytes are read at the same time. For a file on disk, starting a read asks the
 * browser for its size first: thousands at once would freeze the page.
 */
const SNIFFS_AT_ONCE = 8;
/** Files looked at before their photos are queued. */
const ROUTE_SLICE = 200;

const isMedia = (item: Incoming) => item.content.kind === 'video' || item.content.kind === 'audio';

/**
 * Files that are neither pictures nor media (empty, text, unknown bytes) go where they were sent, so
 * their message fits: the video picker's ("could not be played"), or the photos' ("not an image").
 */
const sentAsVideo = (item: Incoming, via: Intake) => via === 'video' || (via === 'drop' && item.file.type.startsWith('video/'));

/** The first bytes of each file, a few reads at a time (a read holds 64 KB). */
async function sniffAll(files: File[]): Promise<Incoming[]> {
  const incoming: Incoming[] = new Array(files.length);
  let next = 0;
  const reader = async () => {
    for (let i = next++; i < files.length; i = next++) incoming[i] = { file: files[i], content: await sniffFile(files[i]) };
  };
  await Promise.all(Array.from({ length: Math.min(SNIFFS_AT_ONCE, files.length) }, reader));
  return incoming;
}

export async function routeFiles(files: File[], via: Intake): Promise<void> {
  const notify = useAppStore.getState().notify;
  const media: Incoming[] = [];
  let photoCount = 0;
  // A slice at a time, its photos queued at once: the first are classified while the rest are looked at.
  for (let start = 0; start < files.length; start += ROUTE_SLICE) {
    const photos: Incoming[] = [];
    for (const item of await sniffAll(files.slice(start, start + ROUTE_SLICE))) {
      if (isMedia(item) || (item.content.kind !== 'image' && sentAsVideo(item, via))) media.push(item);
      else photos.push(item);
    }
    if (via === 'video') {
      for (const { file, content } of photos) notify('info', `${file.name} is a photo (${content.label}), not a video: added to the photos.`);
    }
    photoCount += photos.length;
    void photoQueue.addFiles(photos.map((item) => item.file));
  }
  // One video plays at a time: one with a picture first.
  const opened = media.find((item) => item.content.kind === 'video') ?? media[0];
  if (!opened) return;
  const others = media.filter((item) => item !== opened).map((item) => item.file.name);
  const saidPhoto = via === 'photos' || photoCount > 0 || opened.file.type.startsWith('image/');
  const messages = [
    saidPhoto && opened.content.kind === 'video' ? `${opened.file.name} is a video (${opened.content.label}), not a photo: opened as a video.` : null,
    others.length > 0 ? `Not opened (one video plays at a time): ${others.join(', ')}.` : null,
  ].filter((message) => message !== null);
  if (messages.length > 0) notify('info', messages.join(' '));
  await openVideoLazily(opened.file);
}
