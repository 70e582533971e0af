import {
  type KeyboardEvent,
  type ReactNode,
  type RefObject,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
} from 'react';
import { createPortal } from 'react-dom';
import { classNames } from '../lib/class-names';
import { IconButton } from './button';
import { XIcon } from './icons';

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** Focusable descendants in tab order (ignoring hidden ones). */
export function focusableWithin(container: HTMLElement): HTMLElement[] {
  return Array.from(container.querySelectorAll<HTMLElement>(FOCUSABLE)).filter(
    (el) => el.getClientRects().length > 0 && !el.closest('[inert]'),
  );
}

/**
 * Open dialogs, innermost last. While any is open the app root is `inert` (not focusable,
 * not clickable, hidden from screen readers) and the page does not scroll.
 */
const openDialogs: HTMLElement[] = [];

function appRoot(): HTMLElement | null {
  return document.getElementById('root');
}

export interface DialogProps {
  open: boolean;
  /** Called for Esc, a click on the backdrop and the close button. */
  onClose: () => void;
  title: ReactNode;
  description?: ReactNode;
  children?: ReactNode;
  /** Buttons, right-aligned at the bottom. */
  footer?: ReactNode;
  size?: 'sm' | 'md' | 'lg';
  /** What gets focus on open; by default the first field, else the first button. */
  initialFocusRef?: RefObject<HTMLElement | null>;
  /** Set to false while an action runs, so it cannot be closed half-way. */
  dismissible?: boolean;
  /** `alertdialog` for confirmations of destructive actions. */
  role?: 'dialog' | 'alertdialog';
  className?: string;
}

/**
 * A modal dialog: rendered in a portal, `aria-modal`, labelled by its title and described by
 * its description; Esc and the backdrop close it; Tab stays inside; focus returns to the
 * element that opened it.
 */
export function Dialog(props: DialogProps): ReactNode {
  if (!props.open) return null;
  return createPortal(<DialogPanel {...props} />, document.body);
}

function DialogPanel({
  onClose,
  title,
  description,
  children,
  footer,
  size = 'md',
  initialFocusRef,
  dismissible = true,
  role = 'dialog',
  className,
}: DialogProps): ReactNode {
  const panelRef = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const descriptionId = useId();
  const dismissibleRef = useRef(dismissible);
  dismissibleRef.current = dismissible;

  useLayoutEffect(() => {
    const panel = panelRef.current;
    if (!panel) return;
    const previouslyFocused = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    openDialogs.push(panel);
    const root = appRoot();
    if (root) root.inert = true;
    document.body.classList.add('has-modal');

    const preferred =
      initialFocusRef?.current ??
      panel.querySelector<HTMLElement>('[data-autofocus]') ??
      focusableWithin(panel).find((el) => el.matches('input, select, textarea')) ??
      focusableWithin(panel).find((el) => !el.matches('.dialog__close')) ??
      panel;
    preferred.focus();

    return () => {
      const index = openDialogs.indexOf(panel);
      if (index >= 0) openDialogs.splice(index, 1);
      if (openDialogs.length === 0) {
        if (root) root.inert = false;
        document.body.classList.remove('has-modal');
      }
      if (previouslyFocused?.isConnected) previouslyFocused.focus();
    };
  }, [initialFocusRef]);

  useEffect(() => {
    const onKeyDown = (event: globalThis.KeyboardEvent) => {
      if (event.key !== 'Escape' || openDialogs[openDialogs.length - 1] !== panelRef.current) return;
      event.stopPropagation();
      if (dismissibleRef.current) onClose();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [onClose]);

  const trapTab = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'Tab' || !panelRef.current) return;
    const focusable = focusableWithin(panelRef.current);
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (!first || !last) {
      event.preventDefault();
      return;
    }
    if (event.shiftKey && (document.activeElement === first || document.activeElement === panelRef.current)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  return (
    <div className="dialog-layer">
      <div
        className="dialog-backdrop"
        aria-hidden="true"
        onMouseDown={() => {
          if (dismissible) onClose();
        }}
      />
      {/* biome-ignore lint/a11y/noStaticElementInteractions: role is "dialog" or "alertdialog" (a prop); the handler keeps Tab inside */}
      {/* biome-ignore lint/a11y/useAriaPropsSupportedByRole: aria-modal is valid on both dialog roles */}
      <div
        ref={panelRef}
        className={classNames('dialog', `dialog--${size}`, className)}
        role={role}
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={description ? descriptionId : undefined}
        tabIndex={-1}
        onKeyDown={trapTab}
      >
        <header className="dialog__header">
          <div>
            <h2 className="dialog__title" id={titleId}>
              {title}
            </h2>
            {description ? (
              <p className="dialog__description" id={descriptionId}>
                {description}
              </p>
            ) : null}
          </div>
          <IconButton
            label="Close"
            size="sm"
            className="dialog__close"
            onClick={onClose}
            disabled={!dismissible}
          >
            <XIcon size={16} />
          </IconButton>
        </header>
        {children ? <div className="dialog__body">{children}</div> : null}
        {footer ? <footer className="dialog__footer">{footer}</footer> : null}
      </div>
    </div>
  );
}
