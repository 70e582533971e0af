import { type InputHTMLAttributes, type ReactNode, type Ref, useState } from 'react';
import { classNames } from '../lib/class-names';
import { FieldFrame, useFieldIds } from './field';
import { EyeIcon, EyeOffIcon } from './icons';

export interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'prefix'> {
  label: ReactNode;
  labelAside?: ReactNode;
  hint?: ReactNode;
  /** The message under the field; also sets `aria-invalid` and joins `aria-describedby`. */
  error?: string | null | undefined;
  optional?: boolean | undefined;
  /** Fixed text inside the box before the value (e.g. `keysmith.app/o/`). */
  prefix?: ReactNode;
  /** An element inside the box after the value (e.g. a reveal button). */
  suffix?: ReactNode;
  fieldClassName?: string;
  ref?: Ref<HTMLInputElement>;
}

/** A labelled text input whose hint and error are wired for assistive technology. */
export function TextField({
  label,
  labelAside,
  hint,
  error,
  optional,
  prefix,
  suffix,
  id,
  className,
  fieldClassName,
  ...inputProps
}: TextFieldProps): ReactNode {
  const ids = useFieldIds(id, hint, error);
  const invalid = Boolean(error);
  return (
    <FieldFrame
      ids={ids}
      label={label}
      labelAside={labelAside}
      hint={hint}
      error={error}
      optional={optional}
      className={fieldClassName}
    >
      <div
        className={classNames(
          'input-box',
          invalid && 'input-box--invalid',
          inputProps.disabled && 'input-box--disabled',
        )}
      >
        {prefix ? <span className="input-box__prefix">{prefix}</span> : null}
        <input
          {...inputProps}
          id={ids.controlId}
          className={classNames('input-box__input', className)}
          aria-invalid={invalid || undefined}
          aria-describedby={ids.describedBy}
        />
        {suffix ? <span className="input-box__suffix">{suffix}</span> : null}
      </div>
    </FieldFrame>
  );
}

export type PasswordFieldProps = Omit<TextFieldProps, 'type' | 'suffix'>;

/** A password input with a show/hide toggle, so users can check what they typed. */
export function PasswordField(props: PasswordFieldProps): ReactNode {
  const [visible, setVisible] = useState(false);
  return (
    <TextField
      {...props}
      type={visible ? 'text' : 'password'}
      spellCheck={false}
      autoCapitalize="off"
      suffix={
        <button
          type="button"
          className="input-reveal"
          onClick={() => setVisible((v) => !v)}
          aria-label={visible ? 'Hide password' : 'Show password'}
          aria-pressed={visible}
          title={visible ? 'Hide password' : 'Show password'}
        >
          {visible ? <EyeOffIcon size={16} /> : <EyeIcon size={16} />}
        </button>
      }
    />
  );
}
