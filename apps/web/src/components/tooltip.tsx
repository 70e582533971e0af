import {
  cloneElement,
  type FocusEvent,
  isValidElement,
  type MouseEvent,
  type ReactElement,
  type ReactNode,
  useEffect,
  useId,
  useRef,
  useState,
} from 'react';
import { classNames } from '../lib/class-names';

interface TriggerProps {
  'aria-describedby'?: string | undefined;
  onMouseEnter?: (event: MouseEvent<HTMLElement>) => void;
  onMouseLeave?: (event: MouseEvent<HTMLElement>) => void;
  onFocus?: (event: FocusEvent<HTMLElement>) => void;
  onBlur?: (event: FocusEvent<HTMLElement>) => void;
}

export interface TooltipProps {
  /** Short supplementary text; never the only place important information lives. */
  content: ReactNode;
  side?: 'top' | 'bottom' | 'right';
  /** One focusable element (a button, a link). */
  children: ReactElement<TriggerProps>;
}

/**
 * A small label shown on hover and keyboard focus, after a short delay; Esc hides it. The
 * trigger is described by it (`aria-describedby`), so screen readers read it too.
 */
export function Tooltip({ content, side = 'top', children }: TooltipProps): ReactNode {
  const [visible, setVisible] = useState(false);
  const id = useId();
  const timer = useRef<number | undefined>(undefined);

  useEffect(() => {
    if (!visible) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setVisible(false);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [visible]);

  useEffect(() => () => window.clearTimeout(timer.current), []);

  if (!isValidElement(children)) return children;

  const show = () => {
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => setVisible(true), 250);
  };
  const hide = () => {
    window.clearTimeout(timer.current);
    setVisible(false);
  };
  const own = children.props;
  const trigger = cloneElement(children, {
    'aria-describedby': [own['aria-describedby'], id].filter(Boolean).join(' '),
    onMouseEnter: (event: MouseEvent<HTMLElement>) => {
      own.onMouseEnter?.(event);
      show();
    },
    onMouseLeave: (event: MouseEvent<HTMLElement>) => {
      own.onMouseLeave?.(event);
      hide();
    },
    onFocus: (event: FocusEvent<HTMLElement>) => {
      own.onFocus?.(event);
      show();
    },
    onBlur: (event: FocusEvent<HTMLElement>) => {
      own.onBlur?.(event);
      hide();
    },
  });

  return (
    <span className="tooltip-anchor">
      {trigger}
      <span
        role="tooltip"
        id={id}
        className={classNames('tooltip', `tooltip--${side}`, visible && 'is-visible')}
      >
        {content}
      </span>
    </span>
  );
}
