import type { ReactNode, Ref, SelectHTMLAttributes } from 'react';
import { classNames } from '../lib/class-names';
import { FieldFrame, useFieldIds } from './field';
import { ChevronDownIcon } from './icons';

export interface SelectOption {
  value: string;
  label: string;
  disabled?: boolean;
}

export interface SelectProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, 'children'> {
  label: ReactNode;
  /** Hide the visible label (the control still has it as its accessible name), e.g. in toolbars. */
  hideLabel?: boolean;
  hint?: ReactNode;
  error?: string | null | undefined;
  optional?: boolean | undefined;
  options: readonly SelectOption[];
  /** A first, empty option such as "Choose a space…". */
  placeholder?: string;
  fieldClassName?: string;
  ref?: Ref<HTMLSelectElement>;
}

/**
 * A native `<select>` in the product's look: native keeps keyboard, mobile pickers and
 * screen readers right for free.
 */
export function Select({
  label,
  hideLabel,
  hint,
  error,
  optional,
  options,
  placeholder,
  id,
  className,
  fieldClassName,
  ...selectProps
}: SelectProps): ReactNode {
  const ids = useFieldIds(id, hint, error);
  const invalid = Boolean(error);
  return (
    <FieldFrame
      ids={ids}
      label={hideLabel ? <span className="sr-only">{label}</span> : label}
      hint={hint}
      error={error}
      optional={optional}
      className={classNames(hideLabel && 'field--label-hidden', fieldClassName)}
    >
      <div className={classNames('select-box', invalid && 'input-box--invalid')}>
        <select
          {...selectProps}
          id={ids.controlId}
          className={classNames('select-box__select', className)}
          aria-invalid={invalid || undefined}
          aria-describedby={ids.describedBy}
        >
          {placeholder !== undefined && (
            <option value="" disabled>
              {placeholder}
            </option>
          )}
          {options.map((option) => (
            <option key={option.value} value={option.value} disabled={option.disabled}>
              {option.label}
            </option>
          ))}
        </select>
        <ChevronDownIcon className="select-box__chevron" size={16} />
      </div>
    </FieldFrame>
  );
}
