import { useEffect } from 'react';
import { Gallery } from '../ui/Gallery';
import { Header } from '../ui/Header';
import { LiveView } from '../ui/LiveView';
import { ModelZoo } from '../ui/ModelZoo';
import { Notices } from '../ui/Notices';
import { SettingsPanel } from '../ui/SettingsPanel';
import { SourcePanel } from '../ui/SourcePanel';
import { Viewer } from '../ui/Viewer';
import { ErrorBoundary } from './ErrorBoundary';
import { installAutomation } from './automation';
import { startEngine } from './engine';
import { loadSettings, persistSettings } from './persist-settings';
import { useDropAndPaste } from './useDropAndPaste';

let started = false;

export function App() {
  useEffect(() => {
    if (started) return;
    started = true;
    loadSettings();
    installAutomation();
    persistSettings();
    void startEngine();
  }, []);
  const dragging = useDropAndPaste();
  return (
    <ErrorBoundary>
      <div className={dragging ? 'app dragging' : 'app'}>
        <Header />
        <main className="layout">
          <div className="primary">
            <SourcePanel />
            <LiveView />
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
