/** The one <video> element for live sources; the live view mounts it into the page. */
let video: HTMLVideoElement | null = null;

export function liveVideo(): HTMLVideoElement {
  if (!video) {
    video = document.createElement('video');
    video.muted = true;
    video.playsInline = true;
    video.setAttribute('data-testid', 'live.video');
    video.className = 'live-video';
  }
  return video;
}
