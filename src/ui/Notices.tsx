import { useAppStore } from '../store';

/** Errors and notes for the user; errors are announced (role="alert"). */
export function Notices() {
  const notices = useAppStore((s) => s.notices);
  const dismiss = useAppStore((s) => s.dismiss);
  const modelError = useAppStore((s) => s.modelError);
  return (
    <div className="notices" aria-live="polite">
      {modelError && (
        <div role="alert" className="notice error" data-testid="model.error">
          {modelError}
        </div>
      )}
      {notices.map((notice) => (
        <div key={notice.id} role={notice.kind === 'error' ? 'alert' : 'status'} className={`notice ${notice.kind}`}>
          <span>{notice.message}</span>
          <button type="button" className="icon" aria-label="Dismiss" onClick={() => dismiss(notice.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
