// Short messages (a refused connection, a failed save, a restored draft). Text only; errors
// stay longer than information, and both can be dismissed.
import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useEditorStore, type Toast } from '../store/editor-store.ts';

function ToastItem({ toast }: { toast: Toast }) {
  const dismiss = useEditorStore((s) => s.dismissToast);
  useEffect(() => {
    const t = setTimeout(() => dismiss(toast.id), toast.kind === 'error' ? 12_000 : 5000);
    return () => clearTimeout(t);
  }, [toast, dismiss]);
  return (
    <div className={`kf-toast kf-toast--${toast.kind}`} role={toast.kind === 'error' ? 'alert' : 'status'}>
      <span>{toast.message}</span>
      <button type="button" className="kf-button kf-button--ghost kf-button--small" aria-label="Dismiss" onClick={() => dismiss(toast.id)}>
        ×
      </button>
    </div>
  );
}

export function Toasts() {
  const toasts = useEditorStore(useShallow((s) => s.toasts));
  return (
    <div className="kf-toasts" aria-live="polite">
      {toasts.map((t) => (
        <ToastItem key={t.id} toast={t} />
      ))}
    </div>
  );
}
