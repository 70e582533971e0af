import { type FormEvent, useCallback, useState } from 'react';
import { describeError } from './api-errors';
import { type FieldErrors, hasErrors } from './validation';

export interface FormState<F extends string> {
  values: Record<F, string>;
  errors: FieldErrors<F>;
  /** A message for the inline alert above the submit button (server errors not tied to a field). */
  formError: string | null;
  setValue: (field: F, value: string) => void;
  /** Props for a text input bound to `field`: value, onChange, name and error. */
  field: (name: F) => {
    name: F;
    value: string;
    error: string | undefined;
    onChange: (event: { target: { value: string } }) => void;
  };
  /** Validates, then runs `submit` with the values; server errors land on their fields or in `formError`. */
  handleSubmit: (submit: (values: Record<F, string>) => Promise<unknown>) => (event: FormEvent) => void;
  /** Puts a caught API error on the form (useful outside handleSubmit). */
  showError: (error: unknown) => void;
}

/**
 * Small form state for the product's forms: client validation on submit, then live as the
 * user corrects fields; server field errors shown under the field the server names.
 */
export function useForm<F extends string>(
  initial: Record<F, string>,
  validate: (values: Record<F, string>) => FieldErrors<F>,
): FormState<F> {
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<FieldErrors<F>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [submitted, setSubmitted] = useState(false);

  const setValue = useCallback(
    (field: F, value: string) => {
      setValues((current) => {
        const next = { ...current, [field]: value };
        if (submitted) {
          // Re-check live after the first submit, so errors disappear as they are fixed.
          const fieldError = validate(next)[field];
          setErrors((old) => {
            const updated = { ...old };
            if (fieldError) updated[field] = fieldError;
            else delete updated[field];
            return updated;
          });
        }
        return next;
      });
    },
    [submitted, validate],
  );

  const showError = useCallback(
    (error: unknown) => {
      const described = describeError(error);
      const known: FieldErrors<F> = {};
      let unknownFieldMessage: string | null = null;
      for (const [name, message] of Object.entries(described.fields)) {
        if (name in initial) known[name as F] = message;
        else unknownFieldMessage ??= message;
      }
      setErrors(known);
      // A message that is already shown under its field is not repeated in the alert.
      const fieldOnly = hasErrors(known) && Object.values(known).includes(described.message);
      setFormError(fieldOnly ? null : (unknownFieldMessage ?? described.message));
    },
    [initial],
  );

  const handleSubmit = useCallback(
    (submit: (values: Record<F, string>) => Promise<unknown>) => (event: FormEvent) => {
      event.preventDefault();
      setSubmitted(true);
      setFormError(null);
      const found = validate(values);
      setErrors(found);
      if (hasErrors(found)) {
        const form = event.currentTarget;
        if (form instanceof HTMLFormElement) {
          // Move focus to the first invalid field, so keyboard and screen-reader users land on it.
          window.requestAnimationFrame(() =>
            form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(),
          );
        }
        return;
      }
      submit(values).catch(showError);
    },
    [validate, values, showError],
  );

  const field = useCallback(
    (name: F) => ({
      name,
      value: values[name],
      error: errors[name],
      onChange: (event: { target: { value: string } }) => setValue(name, event.target.value),
    }),
    [values, errors, setValue],
  );

  return { values, errors, formError, setValue, field, handleSubmit, showError };
}
