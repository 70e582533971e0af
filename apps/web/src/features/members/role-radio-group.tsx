import { type ReactNode, useId } from 'react';
import { classNames } from '../../lib/class-names';

export interface RoleOption<R extends string> {
  value: R;
  label: string;
  description: string;
}

/**
 * A role choice as a column of radio cards: each role with what it may do, so nobody has to
 * guess what "admin" means. Native radios keep keyboard and screen readers right.
 */
export function RoleRadioGroup<R extends string>({
  legend,
  name,
  value,
  options,
  onChange,
  error,
}: {
  legend: string;
  name: string;
  value: R;
  options: readonly RoleOption<R>[];
  onChange: (value: R) => void;
  error?: string | undefined;
}): ReactNode {
  const errorId = useId();
  return (
    <fieldset className="role-group" aria-describedby={error ? errorId : undefined}>
      <legend className="field__label">{legend}</legend>
      <div className="role-group__options">
        {options.map((option) => (
          <label
            key={option.value}
            className={classNames('role-option', option.value === value && 'role-option--checked')}
          >
            <input
              type="radio"
              name={name}
              value={option.value}
              checked={option.value === value}
              onChange={() => onChange(option.value)}
              className="role-option__input"
            />
            <span className="role-option__text">
              <span className="role-option__label">{option.label}</span>
              <span className="role-option__description">{option.description}</span>
            </span>
          </label>
        ))}
      </div>
      {error ? (
        <p className="field__error" id={errorId}>
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
