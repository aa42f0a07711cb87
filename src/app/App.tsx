import { lazy, Suspense, useEffect } from 'react';
import { Gallery } from '../ui/Gallery';
import { Header } from '../ui/Header';
import { ModelZoo } from '../ui/ModelZoo';
import { Notices } from '../ui/Notices';
import { SettingsPanel } from '../ui/SettingsPanel';
import { SourcePanel } from '../ui/SourcePanel';
import { Viewer } from '../ui/Viewer';
import { useAppStore } from '../store';
import { ErrorBoundary } from './ErrorBoundary';
import { startApp } from './start';
import { useDropAndPaste } from './useDropAndPaste';

const LiveView = lazy(() => import('../ui/LiveView').then((m) => ({ default: m.LiveView })));

export function App() {
  useEffect(startApp, []);
  const dragging = useDropAndPaste();
  const liveKind = useAppStore((s) => s.liveKind);
  return (
    <ErrorBoundary>
      <div className={dragging ? 'app dragging' : 'app'}>
        <Header />
        <main className="layout">
          <div className="primary">
            <SourcePanel />
            {liveKind && (
              <Suspense fallback={null}>
                <LiveView />
              </Suspense>
            )}
            <Viewer />
          </div>
          <div className="secondary">
            <Gallery />
            <SettingsPanel />
            <ModelZoo />
          </div>
        </main>
        <Notices />
        {dragging && (
          <div className="drop-veil" aria-hidden="true">
            Drop photos to classify them
          </div>
        )}
      </div>
    </ErrorBoundary>
  );
}
