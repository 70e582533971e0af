import { type FormEvent, useCallback, useRef, useState } from 'react';
import { describeError } from './api-errors';
import {
  applyChange,
  type Derive,
  formErrorOf,
  type MappedServerErrors,
  mapByName,
  revalidate,
} from './form-state';
import { type FieldErrors, hasErrors } from './validation';

/** The keys of `V` that hold strings: the ones `field()` can bind to a text input. */
type StringKeys<V> = { [K in keyof V]: V[K] extends string ? K : never }[keyof V];

export interface UseFormOptions<F extends string, V> {
  /** Recomputes other values when one is set (runs before validation). */
  derive?: Derive<V>;
  /**
   * Sorts a server's field errors into the form's fields (see `mapByPath` for dotted paths).
   * By default a server field is shown under the form field of the same name.
   */
  serverErrors?: (fields: Record<string, string>) => MappedServerErrors<F>;
  /**
   * After the first submit, re-check the whole form on every change (`form`, for cross-field
   * rules), or only the field that changed (`field`, the default).
   */
  revalidate?: 'field' | 'form';
  /**
   * The fields in screen order, each wrapped in an element with `data-field="<name>"`: focus then
   * goes to the first invalid one, after a failed submit and after a server error. Without it,
   * a failed submit focuses the first `aria-invalid` control.
   */
  fieldOrder?: readonly F[];
}

export interface FormState<F extends string, V = Record<F, string>> {
  values: V;
  errors: FieldErrors<F>;
  /** A message for the inline alert above the submit button (server errors not tied to a field). */
  formError: string | null;
  setValue: <K extends keyof V>(field: K, value: V[K]) => void;
  /** Props for a text input bound to a string `field`: value, onChange, name and error. */
  field: <K extends StringKeys<V> & F>(
    name: K,
  ) => {
    name: K;
    value: string;
    error: string | undefined;
    onChange: (event: { target: { value: string } }) => void;
  };
  /** Validates, then runs `submit` with the values; server errors land on their fields or in `formError`. */
  handleSubmit: (submit: (values: V) => Promise<unknown>) => (event: FormEvent) => void;
  /** Puts a caught API error on the form (useful outside handleSubmit). */
  showError: (error: unknown) => void;
}

/**
 * Small form state for the product's forms: client validation on submit, then live as the
 * user corrects fields; server field errors shown under the field the server names. Values
 * are strings by default; a form may hold any typed values (lists, booleans, choices) and
 * name its error fields apart from them (`F`), e.g. one `expiresAt` error for two inputs.
 */
export function useForm<F extends string, V extends object = Record<F, string>>(
  initial: V,
  validate: (values: V) => FieldErrors<F>,
  options: UseFormOptions<F, V> = {},
): FormState<F, V> {
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<FieldErrors<F>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [submitted, setSubmitted] = useState(false);
  const formRef = useRef<HTMLFormElement | null>(null);
  const { derive, serverErrors, fieldOrder, revalidate: mode = 'field' } = options;

  const focusFirstError = useCallback(
    (found: FieldErrors<F>) => {
      const form = formRef.current;
      if (!form) return;
      // Move focus to the first invalid field, so keyboard and screen-reader users land on it.
      if (!fieldOrder) {
        window.requestAnimationFrame(() => form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
        return;
      }
      const first = fieldOrder.find((name) => found[name]);
      if (!first) return;
      const inField = (selector: string) => `[data-field="${first}"] ${selector}`;
      window.requestAnimationFrame(() =>
        form
          .querySelector<HTMLElement>(
            ['[aria-invalid="true"]', 'input', 'select', 'textarea', 'button'].map(inField).join(', '),
          )
          ?.focus(),
      );
    },
    [fieldOrder],
  );

  const setValue = useCallback(
    <K extends keyof V>(field: K, value: V[K]) => {
      setValues((current) => {
        const next = applyChange(current, field, value, derive);
        // Re-check live after the first submit, so errors disappear as they are fixed.
        if (submitted) setErrors((old) => revalidate(mode, old, validate(next), String(field)));
        return next;
      });
    },
    [submitted, validate, derive, mode],
  );

  const showError = useCallback(
    (error: unknown) => {
      const described = describeError(error);
      const mapped = serverErrors
        ? serverErrors(described.fields)
        : mapByName(described.fields, (name): name is F => name in initial);
      setErrors(mapped.errors);
      // A message that is already shown under its field is not repeated in the alert.
      setFormError(formErrorOf(described.message, mapped));
      if (fieldOrder) focusFirstError(mapped.errors);
    },
    [initial, serverErrors, fieldOrder, focusFirstError],
  );

  const handleSubmit = useCallback(
    (submit: (values: V) => Promise<unknown>) => (event: FormEvent) => {
      event.preventDefault();
      setSubmitted(true);
      setFormError(null);
      const found = validate(values);
      setErrors(found);
      if (event.currentTarget instanceof HTMLFormElement) formRef.current = event.currentTarget;
      if (hasErrors(found)) {
        focusFirstError(found);
        return;
      }
      submit(values).catch(showError);
    },
    [validate, values, showError, focusFirstError],
  );

  const field = useCallback(
    <K extends StringKeys<V> & F>(name: K) => ({
      name,
      value: values[name] as string,
      error: errors[name],
      onChange: (event: { target: { value: string } }) => setValue(name, event.target.value as V[K]),
    }),
    [values, errors, setValue],
  );

  return { values, errors, formError, setValue, field, handleSubmit, showError };
}
