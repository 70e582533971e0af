import type { ReactNode } from 'react';
import type { FormState } from '../../../lib/use-form';
import type { KeyFormField, KeyFormValues } from '../key-form';

/** The key form's state, as each section reads and sets it. */
export type KeyForm = FormState<KeyFormField, KeyFormValues>;

/** One titled part of the key form; `id` labels the section for assistive technology. */
export function FormSection({
  id,
  title,
  text,
  field,
  children,
}: {
  id: string;
  title: string;
  text?: string;
  /** The error field the whole section stands for, for focusing the first invalid field. */
  field?: KeyFormField;
  children: ReactNode;
}): ReactNode {
  return (
    <section className="form-section" data-field={field} aria-labelledby={id}>
      <h3 className="form-section__title" id={id}>
        {title}
      </h3>
      {text ? <p className="form-section__text">{text}</p> : null}
      {children}
    </section>
  );
}
