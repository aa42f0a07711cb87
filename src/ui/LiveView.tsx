import { useEffect, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { cancelRender, checkMediaSupport, exportFrames, lastRenderRecords, liveBus, liveSession, liveVideo, startRecording, startRender, stopRecording } from '../live';
import { paintOverlay } from '../live/overlay-painter';
import { drawHeatmap, heatmapImage } from '../render/heatmap';
import { useAppStore } from '../store';
import { ColormapLegend } from './HeatmapControls';
import { LiveHud } from './LiveHud';
import { fitCanvas, useElementSize } from './useCanvasSize';

/** The live video with its heatmap canvas on top, aligned at any size; drawn from the live bus, not React state. */
function LiveStage({ mirrored }: { mirrored: boolean }) {
  const box = useRef<HTMLDivElement>(null);
  const overlay = useRef<HTMLCanvasElement>(null);
  const size = useElementSize(box);
  const aspect = useRef(16 / 9);

  useEffect(() => {
    const container = box.current;
    if (!container) return;
    const video = liveVideo();
    container.prepend(video);
    const onSize = () => {
      if (video.videoWidth > 0) {
        aspect.current = video.videoWidth / video.videoHeight;
        container.style.aspectRatio = `${video.videoWidth} / ${video.videoHeight}`;
        container.style.width = `min(100%, calc(70vh * ${aspect.current}))`;
      }
    };
    onSize();
    video.addEventListener('loadedmetadata', onSize);
    video.addEventListener('resize', onSize);
    return () => {
      video.removeEventListener('loadedmetadata', onSize);
      video.removeEventListener('resize', onSize);
      video.remove();
    };
  }, []);

  useEffect(() => {
    const canvas = overlay.current;
    if (!canvas || size.width === 0) return;
    return paintOverlay(
      {
        subscribeFrames: (listener) => liveBus.subscribe((frame) => listener(frame)),
        look: () => {
          const { colormap, opacity, view } = useAppStore.getState();
          return { colormap, opacity, view };
        },
        subscribeLook: (listener) => useAppStore.subscribe(listener),
      },
      (frame, { colormap, opacity, view }) => {
        fitCanvas(canvas, size.width, size.height);
        const context = canvas.getContext('2d');
        if (!context) return;
        context.clearRect(0, 0, canvas.width, canvas.height);
        if (!frame) {
          delete canvas.dataset.classIndex;
          return;
        }
        const rendered = heatmapImage(frame.heatmap, colormap, frame.crop, { width: frame.videoWidth, height: frame.videoHeight });
        drawHeatmap(context, view === 'photo' ? null : rendered.image, frame.crop, canvas.width / frame.videoWidth, { opacity, dimOutside: true });
        canvas.dataset.classIndex = String(frame.classIndex);
        canvas.dataset.peakX = rendered.peak.x.toFixed(4);
        canvas.dataset.peakY = rendered.peak.y.toFixed(4);
        canvas.dataset.colormap = colormap;
        canvas.dataset.drawn = String(Number(canvas.dataset.drawn ?? 0) + 1);
      },
    );
  }, [size.width, size.height]);

  return (
    <div className={mirrored ? 'stage mirrored' : 'stage'} ref={box}>
      <canvas ref={overlay} className="stage-overlay" data-testid="live.overlay" aria-hidden="true" />
    </div>
  );
}

function RenderProgress() {
  const render = useAppStore((s) => s.render);
  if (!render) return null;
  const elapsed = (performance.now() - render.startedAt) / 1000;
  const eta = render.done > 0 ? ((render.total - render.done) * elapsed) / render.done : null;
  return (
    <div className="render-progress" data-testid="render.progress" data-done={render.done} data-total={render.total}>
      <progress max={render.total || 1} value={render.done} aria-label="Rendering frames" />
      <span>
        {render.done}/{render.total || '…'} frames{eta !== null ? `, about ${Math.ceil(eta)} s left` : ''}
      </span>
      <button type="button" data-testid="render.cancel" onClick={cancelRender}>
        Cancel
      </button>
    </div>
  );
}

/** Why Record or render mode is off in this browser, and what to use instead (nothing while they work). */
function MediaSupportNotes({ video }: { video: boolean }) {
  const { record, render } = useAppStore(useShallow((s) => ({ record: s.recordSupport?.verdict, render: s.renderSupport?.verdict })));
  useEffect(() => {
    void checkMediaSupport((found) => useAppStore.getState().mediaSupportFound(found));
  }, []);
  return (
    <>
      {record && !record.ok && (
        <p className="notice inline" id="record-reason" data-testid="live.record.reason">
          {record.reason}
        </p>
      )}
      {video && render && !render.ok && (
        <p className="notice inline" id="render-reason" data-testid="render.reason">
          {render.reason}
        </p>
      )}
    </>
  );
}

/** Webcam or video file, live: the stage, the HUD and what can be done with it. */
export function LiveView() {
  const { kind, status, message, facesUser, mirror, smoothing, recording, rendering, videoName, update, pinned, canRecord, canRender } = useAppStore(
    useShallow((s) => ({
      kind: s.liveKind,
      status: s.liveStatus,
      message: s.liveMessage,
      facesUser: s.facesUser,
      mirror: s.mirror,
      smoothing: s.smoothing,
      recording: s.recording,
      rendering: s.render !== null,
      videoName: s.videoName,
      update: s.updateSettings,
      pinned: s.pinnedClass,
      canRecord: s.recordSupport?.verdict.ok ?? null,
      canRender: s.renderSupport?.verdict.ok ?? null,
    })),
  );
  if (!kind) return null;
  const live = status === 'live';
  const failed = !live && status !== 'requesting';
  return (
    <section className="panel live" aria-labelledby="live-title" data-testid="live" data-status={status}>
      <div className="panel-head">
        <h2 id="live-title">{kind === 'webcam' ? 'Webcam' : (videoName ?? 'Video')}</h2>
        <div className="actions">
          <button type="button" data-testid="live.snapshot" disabled={!live} onClick={() => void liveSession.snapshotToGallery()}>
            Pause &amp; explain frame
          </button>
          <button
            type="button"
            data-testid="live.record"
            disabled={!recording && (!live || canRecord !== true)}
            aria-pressed={recording}
            aria-describedby={canRecord === false ? 'record-reason' : undefined}
            title={canRecord === null ? 'Checking what this browser can record…' : undefined}
            onClick={recording ? stopRecording : startRecording}
          >
            {recording ? 'Stop recording' : 'Record'}
          </button>
          {kind === 'video' && (
            <button
              type="button"
              data-testid="render.start"
              disabled={!live || rendering || canRender !== true}
              aria-describedby={canRender === false ? 'render-reason' : undefined}
              title={canRender === null ? 'Checking what this browser can encode…' : undefined}
              onClick={() => void startRender(liveSession.currentVideoFile)}
            >
              Render heatmap video
            </button>
          )}
          <button type="button" data-testid="live.stop" onClick={() => { stopRecording(); liveSession.stop(); }}>
            Close
          </button>
        </div>
      </div>
      {status === 'requesting' && <p role="status">{message}</p>}
      {failed && message && (
        <div role="alert" className="notice error inline" data-testid="live.error" data-reason={status}>
          <span>{message}</span>
          {kind === 'webcam' && (
            <button type="button" onClick={() => void liveSession.startWebcam()}>
              Try again
            </button>
          )}
        </div>
      )}
      <MediaSupportNotes video={kind === 'video'} />
      <RenderProgress />
      <LiveStage mirrored={kind === 'webcam' && facesUser && mirror} />
      <LiveHud />
      <div className="controls">
        <label className="check">
          <input type="checkbox" data-testid="live.smoothing" checked={smoothing} onChange={(e) => update({ smoothing: e.target.checked })} />
          Smooth over frames
        </label>
        {kind === 'webcam' && (
          <label className="check">
            <input type="checkbox" data-testid="live.mirror" checked={mirror} onChange={(e) => update({ mirror: e.target.checked })} />
            Mirror front camera
          </label>
        )}
        {pinned !== null && (
          <button type="button" onClick={() => liveSession.pinClass(null)}>
            Follow top class again
          </button>
        )}
        <ColormapLegend />
        <div className="actions">
          <button type="button" data-testid="live.export.csv" onClick={() => exportFrames(liveSession.records(), 'csv', videoName ?? 'webcam')}>
            Frames CSV
          </button>
          <button type="button" data-testid="live.export.json" onClick={() => exportFrames(liveSession.records(), 'json', videoName ?? 'webcam')}>
            Frames JSON
          </button>
          {kind === 'video' && (
            <button type="button" data-testid="render.export.json" onClick={() => exportFrames(lastRenderRecords(liveSession.currentVideoFile), 'json', `${videoName ?? 'video'}-render`)}>
              Rendered frames JSON
            </button>
          )}
        </div>
      </div>
    </section>
  );
}
