import { useShallow } from 'zustand/react/shallow';
import { openVideoLazily, startWebcamLazily, stopLiveLazily } from '../live/lazy';
import { photoQueue } from '../photos';
import { addFolderFiles } from '../photos/intake';
import { SUPPORTED_FORMATS } from '../sources/photo-decode';
import { useAppStore } from '../store';

/** Where pictures come in: photos (picker, drop, paste), the webcam, a video file. */
export function SourcePanel() {
  const { liveKind, liveStatus, cameras, cameraId } = useAppStore(
    useShallow((s) => ({ liveKind: s.liveKind, liveStatus: s.liveStatus, cameras: s.cameras, cameraId: s.cameraId })),
  );
  const webcamOn = liveKind === 'webcam' && (liveStatus === 'live' || liveStatus === 'requesting');
  return (
    <section className="panel sources" aria-labelledby="sources-title">
      <h2 id="sources-title" className="visually-hidden">
        Sources
      </h2>
      <div className="dropzone">
        <label className="button primary">
          Choose photos…
          <input
            className="visually-hidden"
            data-testid="source.file"
            type="file"
            accept="image/*,.svg"
            multiple
            onChange={(event) => {
              const files = Array.from(event.target.files ?? []);
              event.target.value = '';
              void photoQueue.addFiles(files);
            }}
          />
        </label>
        <label className="button">
          Choose a folder…
          <input
            className="visually-hidden"
            data-testid="source.folder"
            type="file"
            {...{ webkitdirectory: '' }}
            onChange={(event) => {
              const files = Array.from(event.target.files ?? []);
              event.target.value = '';
              void addFolderFiles(files, photoQueue);
            }}
          />
        </label>
        <button
          type="button"
          data-testid="source.webcam"
          aria-pressed={webcamOn}
          className={webcamOn ? 'on' : undefined}
          onClick={() => void (webcamOn ? stopLiveLazily() : startWebcamLazily(cameraId ?? undefined))}
        >
          {webcamOn ? 'Stop webcam' : 'Start webcam'}
        </button>
        {cameras.length > 1 && (
          <label className="field inline">
            <span>Camera</span>
            <select data-testid="source.camera" value={cameraId ?? ''} onChange={(e) => void startWebcamLazily(e.target.value)}>
              {cameras.map((camera) => (
                <option key={camera.deviceId} value={camera.deviceId}>
                  {camera.label}
                </option>
              ))}
            </select>
          </label>
        )}
        <label className="button">
          Open video…
          <input
            className="visually-hidden"
            data-testid="source.video"
            type="file"
            accept="video/*"
            onChange={(event) => {
              const file = event.target.files?.[0];
              event.target.value = '';
              if (file) void openVideoLazily(file);
            }}
          />
        </label>
      </div>
      <p className="hint">
        Drop photos or a video anywhere on the page, or paste a photo (Ctrl/⌘+V). Photos: {SUPPORTED_FORMATS}. Video: whatever this
        browser plays (WebM, MP4). Nothing leaves your device.
      </p>
    </section>
  );
}
