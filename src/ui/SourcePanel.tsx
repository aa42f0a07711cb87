import { useRef } from 'react';
import { addFiles } from '../app/engine';
import { SUPPORTED_FORMATS } from '../sources/photo-decode';

/** Where pictures come in: the photo picker (drag-and-drop and paste work anywhere on the page). */
export function SourcePanel() {
  const input = useRef<HTMLInputElement>(null);
  return (
    <section className="panel sources" aria-labelledby="sources-title">
      <h2 id="sources-title" className="visually-hidden">
        Sources
      </h2>
      <div className="dropzone">
        <label className="button primary">
          Choose photos…
          <input
            ref={input}
            className="visually-hidden"
            data-testid="source.file"
            type="file"
            accept="image/*"
            multiple
            onChange={(event) => {
              const files = Array.from(event.target.files ?? []);
              event.target.value = '';
              void addFiles(files);
            }}
          />
        </label>
        <p className="hint">
          or drop photos anywhere on the page, or paste one (Ctrl/⌘+V). {SUPPORTED_FORMATS}. Nothing leaves your device.
        </p>
      </div>
    </section>
  );
}
