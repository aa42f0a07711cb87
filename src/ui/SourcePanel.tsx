import { useShallow } from 'zustand/react/shallow';
import { routeFiles } from '../intake/route-files';
import { photoQueue } from '../photos';
import { addFolderFiles } from '../intake/folders';
import { startWebcamLazily, stopLiveLazily } from '../live/lazy';
import { SUPPORTED_FORMATS } from '../sources/photo-decode';
import { fetchSample, SAMPLES, type Sample } from '../sources/samples';
import { currentDeviceTraits, isHandheld } from '../sources/webcam';
import { useAppStore } from '../store';
import { SelectField } from './SelectField';

async function addSample(sample: Sample): Promise<void> {
  try {
    await photoQueue.addFiles([await fetchSample(sample)]);
  } catch (error) {
    useAppStore.getState().notify('error', error instanceof Error ? error.message : String(error));
  }
}

/** Where pictures come in: photos (picker, drop, paste), the webcam, a video file. */
export function SourcePanel() {
  const { liveKind, liveStatus, cameras, cameraId, facesUser } = useAppStore(
    useShallow((s) => ({ liveKind: s.liveKind, liveStatus: s.liveStatus, cameras: s.cameras, cameraId: s.cameraId, facesUser: s.facesUser })),
  );
  const webcamOn = liveKind === 'webcam' && (liveStatus === 'live' || liveStatus === 'requesting');
  // Front/back: phones and tablets; elsewhere the camera list chooses.
  const canSwitchSide = liveKind === 'webcam' && liveStatus === 'live' && isHandheld(currentDeviceTraits());
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
              void routeFiles(files, 'photos');
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
          onClick={() => void (webcamOn ? stopLiveLazily() : startWebcamLazily(cameraId ? { deviceId: cameraId } : undefined))}
        >
          {webcamOn ? 'Stop webcam' : 'Start webcam'}
        </button>
        {canSwitchSide && (
          <button
            type="button"
            data-testid="source.camera.switch"
            onClick={() => void startWebcamLazily({ facing: facesUser ? 'environment' : 'user' })}
          >
            {facesUser ? 'Use back camera' : 'Use front camera'}
          </button>
        )}
        {cameras.length > 1 && (
          <SelectField
            inline
            label="Camera"
            testId="source.camera"
            value={cameraId ?? ''}
            choices={cameras.map((camera) => ({ id: camera.deviceId, label: camera.label }))}
            onChange={(deviceId) => void startWebcamLazily({ deviceId })}
          />
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
              if (file) void routeFiles([file], 'video');
            }}
          />
        </label>
      </div>
      <div className="samples" role="group" aria-labelledby="samples-title">
        <span id="samples-title" className="muted">
          No photo at hand? Try
        </span>
        {SAMPLES.map((sample) => (
          <button key={sample.id} type="button" data-testid={`source.sample.${sample.id}`} onClick={() => void addSample(sample)}>
            <span className="sample-thumb" aria-hidden="true" style={{ backgroundImage: `url(samples/${sample.file})` }} />
            {sample.label}
          </button>
        ))}
      </div>
      <p className="hint">
        Drop photos or a video anywhere on the page, or paste a photo (Ctrl/⌘+V). Photos: {SUPPORTED_FORMATS}. Video: whatever this
        browser plays (WebM, MP4). Nothing leaves your device.
      </p>
    </section>
  );
}
