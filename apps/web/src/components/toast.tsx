import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { createPortal } from 'react-dom';
import { classNames } from '../lib/class-names';
import { IconButton } from './button';
import { AlertCircleIcon, CheckCircleIcon, InfoIcon, XIcon } from './icons';

export type ToastTone = 'success' | 'danger' | 'info';

export interface ToastInput {
  title: string;
  description?: string;
  tone?: ToastTone;
  /** Milliseconds before it disappears; errors stay twice as long by default. */
  durationMs?: number;
}

interface ToastEntry extends Required<Omit<ToastInput, 'description'>> {
  id: number;
  description: string | undefined;
}

type ShowToast = (toast: ToastInput) => void;

const ToastContext = createContext<ShowToast | null>(null);

/** Shows a short confirmation or failure in the corner: `const toast = useToast(); toast({ title: 'Saved' })`. */
export function useToast(): ShowToast {
  const show = useContext(ToastContext);
  if (!show) throw new Error('useToast must be used inside <ToastProvider>');
  return show;
}

const ICONS: Record<ToastTone, ReactNode> = {
  success: <CheckCircleIcon size={18} />,
  danger: <AlertCircleIcon size={18} />,
  info: <InfoIcon size={18} />,
};

/** Holds the toasts and renders them in a polite live region, newest at the bottom (at most 4). */
export function ToastProvider({ children }: { children: ReactNode }): ReactNode {
  const [toasts, setToasts] = useState<ToastEntry[]>([]);
  const nextId = useRef(1);

  const dismiss = useCallback((id: number) => setToasts((list) => list.filter((t) => t.id !== id)), []);

  const show = useCallback<ShowToast>((input) => {
    const tone = input.tone ?? 'success';
    const entry: ToastEntry = {
      id: nextId.current++,
      title: input.title,
      description: input.description,
      tone,
      durationMs: input.durationMs ?? (tone === 'danger' ? 8000 : 4000),
    };
    setToasts((list) => [...list.slice(-3), entry]);
  }, []);

  const value = useMemo(() => show, [show]);

  return (
    <ToastContext.Provider value={value}>
      {children}
      {createPortal(
        <section className="toast-region" aria-label="Notifications" aria-live="polite">
          {toasts.map((toast) => (
            <ToastCard key={toast.id} toast={toast} onDismiss={dismiss} />
          ))}
        </section>,
        document.body,
      )}
    </ToastContext.Provider>
  );
}

function ToastCard({ toast, onDismiss }: { toast: ToastEntry; onDismiss: (id: number) => void }): ReactNode {
  const [paused, setPaused] = useState(false);
  useEffect(() => {
    if (paused) return;
    const timer = window.setTimeout(() => onDismiss(toast.id), toast.durationMs);
    return () => window.clearTimeout(timer);
  }, [paused, toast.id, toast.durationMs, onDismiss]);

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: hovering or focusing a toast only pauses its timer
    <div
      className={classNames('toast', `toast--${toast.tone}`)}
      role={toast.tone === 'danger' ? 'alert' : 'status'}
      onMouseEnter={() => setPaused(true)}
      onMouseLeave={() => setPaused(false)}
      onFocus={() => setPaused(true)}
      onBlur={() => setPaused(false)}
    >
      <span className="toast__icon">{ICONS[toast.tone]}</span>
      <div className="toast__body">
        <p className="toast__title">{toast.title}</p>
        {toast.description ? <p className="toast__description">{toast.description}</p> : null}
      </div>
      <IconButton label="Dismiss notification" size="sm" onClick={() => onDismiss(toast.id)}>
        <XIcon size={14} />
      </IconButton>
    </div>
  );
}
