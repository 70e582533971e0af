import { ADMIN_SCOPE, parseScope } from '@keysmith/domain';
import { type ReactNode, useEffect, useId, useState } from 'react';
import { Button, TextField } from '../../../components';
import { PlusIcon, XIcon } from '../../../components/icons';
import { classNames } from '../../../lib/class-names';
import { FormSection, type KeyForm } from './form-section';

/** The "Scopes" section: the space's catalog as chips. */
export function ScopesSection({
  id,
  form,
  catalog,
}: {
  id: string;
  form: KeyForm;
  catalog: readonly string[] | null;
}): ReactNode {
  return (
    <FormSection id={id} title="Scopes" field="scopes">
      <ScopePicker
        catalog={catalog}
        value={form.values.scopes}
        onChange={(scopes) => form.setValue('scopes', scopes)}
        error={form.errors.scopes}
        spaceChosen={Boolean(form.values.spaceId)}
      />
    </FormSection>
  );
}

function wildcardTitle(scope: string): string | undefined {
  const parsed = parseScope(scope);
  if (!parsed?.wildcard) return undefined;
  return scope === 'admin:*' ? 'Grants every scope' : `Grants every ${parsed.resource} action`;
}

/**
 * Scopes as chips from the space's catalog (wildcards marked). When the catalog holds a
 * resource wildcard, narrower scopes it grants can be typed in too (`orders:*` allows
 * `orders:refund`); `admin:*` is not one.
 */
function ScopePicker({
  catalog,
  value,
  onChange,
  error,
  spaceChosen,
}: {
  catalog: readonly string[] | null;
  value: readonly string[];
  onChange: (scopes: string[]) => void;
  error: string | undefined;
  spaceChosen: boolean;
}): ReactNode {
  const [draft, setDraft] = useState('');
  const id = useId();
  const listed = catalog ?? [];
  const extra = value.filter((scope) => !listed.includes(scope));
  // `admin:*` in a catalog allows only itself (§4), so it opens no box for other scopes.
  const allowsCustom = listed.some((scope) => scope !== ADMIN_SCOPE && parseScope(scope)?.wildcard);
  const toggle = (scope: string) =>
    onChange(value.includes(scope) ? value.filter((s) => s !== scope) : [...value, scope]);
  const addDraft = () => {
    const scope = draft.trim();
    if (!scope) return;
    if (!value.includes(scope)) onChange([...value, scope]);
    setDraft('');
  };

  useEffect(() => {
    if (!spaceChosen) setDraft('');
  }, [spaceChosen]);

  return (
    <fieldset
      className={classNames('field', 'scope-picker', error && 'field--invalid')}
      aria-describedby={error ? `${id}-error` : `${id}-hint`}
      aria-invalid={error ? true : undefined}
    >
      <legend className="field__label">
        Scopes <span className="field__optional">{value.length} selected</span>
      </legend>
      {!spaceChosen ? (
        <p className="scope-picker__empty">Choose a space to see the scopes its keys may hold.</p>
      ) : catalog === null ? (
        <p className="scope-picker__empty">Loading the space's scope catalog…</p>
      ) : (
        <div className="scope-picker__chips">
          {[...listed, ...extra].map((scope) => {
            const selected = value.includes(scope);
            const wildcard = parseScope(scope)?.wildcard ?? false;
            return (
              <button
                key={scope}
                type="button"
                className={classNames('scope-chip', wildcard && 'scope-chip--wildcard')}
                aria-pressed={selected}
                title={wildcardTitle(scope)}
                onClick={() => toggle(scope)}
              >
                {selected ? (
                  <XIcon size={12} className="scope-chip__icon" />
                ) : (
                  <PlusIcon size={12} className="scope-chip__icon" />
                )}
                <span>{scope}</span>
              </button>
            );
          })}
        </div>
      )}
      {spaceChosen && allowsCustom ? (
        <div className="scope-picker__add">
          <TextField
            label="Add a scope the catalog's wildcards allow"
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter') {
                event.preventDefault();
                addDraft();
              }
            }}
            placeholder="orders:refund"
            autoComplete="off"
            spellCheck={false}
            className="mono"
          />
          <Button size="md" onClick={addDraft} disabled={!draft.trim()}>
            Add
          </Button>
        </div>
      ) : null}
      {error ? (
        <p className="field__error" id={`${id}-error`}>
          {error}
        </p>
      ) : (
        <p className="field__hint" id={`${id}-hint`}>
          A key with no scopes can still be verified, but passes no scope check. Wildcards (
          <code>orders:*</code>) grant every action of a resource.
        </p>
      )}
    </fieldset>
  );
}
