import { type ReactNode, useId } from 'react';
import { classNames } from '../lib/class-names';
import { AlertCircleIcon } from './icons';

/** The ids a control needs to be described by its hint and error. */
export interface FieldIds {
  controlId: string;
  hintId: string | undefined;
  errorId: string | undefined;
  /** For `aria-describedby`: the error first, so it is read before the hint. */
  describedBy: string | undefined;
}

export function useFieldIds(id: string | undefined, hint: ReactNode, error: ReactNode): FieldIds {
  const generated = useId();
  const controlId = id ?? `field${generated}`;
  // The error replaces the hint while it shows: one message under a field at a time.
  const hintId = hint && !error ? `${controlId}-hint` : undefined;
  const errorId = error ? `${controlId}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  return { controlId, hintId, errorId, describedBy };
}

export interface FieldFrameProps {
  ids: FieldIds;
  label: ReactNode;
  /** Shown at the right of the label row (e.g. a "Generate" action or a character count). */
  labelAside?: ReactNode;
  hint?: ReactNode;
  error?: ReactNode;
  optional?: boolean | undefined;
  className?: string | undefined;
  children: ReactNode;
}

/** Label, control, hint and error in the product's vertical rhythm; shared by every input. */
export function FieldFrame({
  ids,
  label,
  labelAside,
  hint,
  error,
  optional,
  className,
  children,
}: FieldFrameProps): ReactNode {
  return (
    <div className={classNames('field', error ? 'field--invalid' : undefined, className)}>
      <div className="field__label-row">
        <label className="field__label" htmlFor={ids.controlId}>
          {label}
          {optional && <span className="field__optional">Optional</span>}
        </label>
        {labelAside}
      </div>
      {children}
      {error ? (
        <p className="field__error" id={ids.errorId}>
          <AlertCircleIcon size={14} />
          <span>{error}</span>
        </p>
      ) : null}
      {hint && !error ? (
        <p className="field__hint" id={ids.hintId}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}
