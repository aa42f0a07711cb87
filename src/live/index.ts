/** The live features, loaded on first use (see lazy.ts): the session bound to the app's model and photo queue. */
import { modelSession } from '../inference';
import { photoQueue } from '../photos';
import { LiveSession } from './live-session';

export const liveSession = new LiveSession(modelSession, photoQueue);
export { liveBus } from './live-bus';
export { liveVideo } from './video-element';
export { startRecording, stopRecording } from './recorder';
export { cancelRender, exportFrames, lastRenderRecords, startRender } from './render-control';
export { checkMediaSupport } from './media-probe';
export { watchSavedVideos, type SavedVideo } from './saved-video';
