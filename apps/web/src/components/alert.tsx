import type { ReactNode } from 'react';
import { classNames } from '../lib/class-names';
import { AlertCircleIcon, AlertTriangleIcon, CheckCircleIcon, InfoIcon } from './icons';

export type AlertTone = 'info' | 'success' | 'warning' | 'danger';

const ICONS: Record<AlertTone, ReactNode> = {
  info: <InfoIcon size={16} />,
  success: <CheckCircleIcon size={16} />,
  warning: <AlertTriangleIcon size={16} />,
  danger: <AlertCircleIcon size={16} />,
};

export interface AlertProps {
  tone?: AlertTone;
  title?: ReactNode;
  children?: ReactNode;
  /** A button or link at the end (e.g. "Try again"). */
  action?: ReactNode;
  className?: string;
}

/**
 * An inline message in the flow of a page or form. Danger alerts are announced at once
 * (`role="alert"`); the others politely (`role="status"`).
 */
export function Alert({ tone = 'info', title, children, action, className }: AlertProps): ReactNode {
  return (
    <div
      className={classNames('alert', `alert--${tone}`, className)}
      role={tone === 'danger' ? 'alert' : 'status'}
    >
      <span className="alert__icon">{ICONS[tone]}</span>
      <div className="alert__body">
        {title ? <p className="alert__title">{title}</p> : null}
        {children ? <div className="alert__text">{children}</div> : null}
      </div>
      {action ? <div className="alert__action">{action}</div> : null}
    </div>
  );
}
