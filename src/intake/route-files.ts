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

const isMedia = (item: Incoming) => item.content.kind === 'video' || item.content.kind === 'audio';

/**
 * Files that are neither pictures nor media (empty, text, unknown bytes) go where they were sent, so
 * their message fits: the video picker's ("could not be played"), or the photos' ("not an image").
 */
const sentAsVideo = (item: Incoming, via: Intake) => via === 'video' || (via === 'drop' && item.file.type.startsWith('video/'));

export async function routeFiles(files: File[], via: Intake): Promise<void> {
  const incoming = await Promise.all(files.map(async (file) => ({ file, content: await sniffFile(file) })));
  const photos: Incoming[] = [];
  const media: Incoming[] = [];
  for (const item of incoming) {
    if (isMedia(item) || (item.content.kind !== 'image' && sentAsVideo(item, via))) media.push(item);
    else photos.push(item);
  }
  const notify = useAppStore.getState().notify;
  if (via === 'video') {
    for (const { file, content } of photos) notify('info', `${file.name} is a photo (${content.label}), not a video: added to the photos.`);
  }
  void photoQueue.addFiles(photos.map((item) => item.file));
  // One video plays at a time: one with a picture first.
  const opened = media.find((item) => item.content.kind === 'video') ?? media[0];
  if (!opened) return;
  const others = media.filter((item) => item !== opened).map((item) => item.file.name);
  const saidPhoto = via === 'photos' || photos.length > 0 || opened.file.type.startsWith('image/');
  const messages = [
    saidPhoto && opened.content.kind === 'video' ? `${opened.file.name} is a video (${opened.content.label}), not a photo: opened as a video.` : null,
    others.length > 0 ? `Not opened (one video plays at a time): ${others.join(', ')}.` : null,
  ].filter((message) => message !== null);
  if (messages.length > 0) notify('info', messages.join(' '));
  await openVideoLazily(opened.file);
}
