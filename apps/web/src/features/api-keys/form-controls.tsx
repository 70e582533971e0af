import { type ReactNode, type Ref, type TextareaHTMLAttributes, useId } from 'react';
import { FieldFrame, useFieldIds } from '../../components/field';
import { AlertCircleIcon } from '../../components/icons';
import { classNames } from '../../lib/class-names';

/**
 * Form controls the key dialogs need beyond the shared kit: a segmented choice (native radios,
 * so arrow keys and screen readers work), a checkbox with a description, and a textarea.
 */

export interface SegmentedOption<T extends string> {
  value: T;
  label: ReactNode;
  disabled?: boolean;
}

export interface SegmentedFieldProps<T extends string> {
  legend: ReactNode;
  name: string;
  value: T;
  options: ReadonlyArray<SegmentedOption<T>>;
  onChange: (value: T) => void;
  hint?: ReactNode;
  error?: string | undefined;
  disabled?: boolean;
  className?: string;
}

export function SegmentedField<T extends string>({
  legend,
  name,
  value,
  options,
  onChange,
  hint,
  error,
  disabled,
  className,
}: SegmentedFieldProps<T>): ReactNode {
  const id = useId();
  const hintId = hint && !error ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return (
    <fieldset
      className={classNames('field', 'segmented-field', error && 'field--invalid', className)}
      aria-describedby={[errorId, hintId].filter(Boolean).join(' ') || undefined}
      aria-invalid={error ? true : undefined}
      disabled={disabled}
    >
      <legend className="field__label">{legend}</legend>
      <div className="segmented">
        {options.map((option) => (
          <label
            key={option.value}
            className="segmented__option"
            data-checked={option.value === value || undefined}
            data-disabled={option.disabled || undefined}
          >
            <input
              type="radio"
              name={`${name}${id}`}
              value={option.value}
              checked={option.value === value}
              disabled={option.disabled}
              onChange={() => onChange(option.value)}
              className="segmented__input"
            />
            <span>{option.label}</span>
          </label>
        ))}
      </div>
      {error ? (
        <p className="field__error" id={errorId}>
          <AlertCircleIcon size={14} />
          <span>{error}</span>
        </p>
      ) : null}
      {hint && !error ? (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      ) : null}
    </fieldset>
  );
}

export interface CheckboxFieldProps {
  label: ReactNode;
  description?: ReactNode;
  checked: boolean;
  onChange: (checked: boolean) => void;
  disabled?: boolean;
  error?: string | undefined;
  name?: string;
}

export function CheckboxField({
  label,
  description,
  checked,
  onChange,
  disabled,
  error,
  name,
}: CheckboxFieldProps): ReactNode {
  const id = useId();
  return (
    <div className={classNames('checkbox-field', disabled && 'checkbox-field--disabled')}>
      <input
        id={id}
        type="checkbox"
        name={name}
        checked={checked}
        disabled={disabled}
        onChange={(event) => onChange(event.target.checked)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : description ? `${id}-description` : undefined}
        className="checkbox-field__input"
      />
      <div className="checkbox-field__text">
        <label htmlFor={id} className="checkbox-field__label">
          {label}
        </label>
        {error ? (
          <p className="field__error" id={`${id}-error`}>
            <AlertCircleIcon size={14} />
            <span>{error}</span>
          </p>
        ) : description ? (
          <p className="field__hint" id={`${id}-description`}>
            {description}
          </p>
        ) : null}
      </div>
    </div>
  );
}

export interface TextAreaFieldProps extends TextareaHTMLAttributes<HTMLTextAreaElement> {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  optional?: boolean;
  ref?: Ref<HTMLTextAreaElement>;
}

export function TextAreaField({
  label,
  hint,
  error,
  optional,
  id,
  className,
  ...rest
}: TextAreaFieldProps): ReactNode {
  const ids = useFieldIds(id, hint, error);
  return (
    <FieldFrame ids={ids} label={label} hint={hint} error={error} optional={optional}>
      <textarea
        {...rest}
        id={ids.controlId}
        className={classNames('textarea', error && 'textarea--invalid', className)}
        aria-invalid={error ? true : undefined}
        aria-describedby={ids.describedBy}
      />
    </FieldFrame>
  );
}
