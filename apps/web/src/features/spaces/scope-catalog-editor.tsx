import { RESERVED_SCOPES } from '@keysmith/domain';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import { Alert, Button, TextField, useToast } from '../../components';
import { LockIcon, PlusIcon, XIcon } from '../../components/icons';
import { describeError } from '../../lib/api-errors';
import { trpc } from '../../lib/trpc';
import { SettingsCard } from '../settings/settings-card';
import { addScopes, customScopes, sameScopes } from './scope-catalog';
import { storeSpace } from './space-cache';
import type { Space } from './space-permissions';

const RESERVED_HINT = "Keysmith's management API uses these; every space has them";

/**
 * The space's scope catalog as chips: the reserved `keys:*` scopes locked, the space's own
 * scopes removable, new ones added (several at once) after the §4 grammar check. Changes are
 * saved together; the server's answer (e.g. a scope live keys still hold) lands on the field.
 */
export function ScopeCatalogEditor({
  space,
  orgId,
  readOnlyNote,
}: {
  space: Space;
  orgId: string;
  /** Why the catalog cannot be edited here (role, archived), or `null` when it can. */
  readOnlyNote: string | null;
}): ReactNode {
  const editable = readOnlyNote === null;
  const toast = useToast();
  const saved = customScopes(space.scopeCatalog);
  const [scopes, setScopes] = useState(saved);
  const [draft, setDraft] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const update = useMutation(trpc.space.update.mutationOptions());
  const dirty = !sameScopes(scopes, saved);

  const add = (event?: FormEvent) => {
    event?.preventDefault();
    const result = addScopes(draft, scopes);
    if (!result.ok) {
      setFieldError(result.message);
      return;
    }
    setScopes(result.scopes);
    setDraft('');
    setFieldError(null);
    setSaveError(null);
  };

  const save = async () => {
    setSaveError(null);
    try {
      const result = await update.mutateAsync({ orgId, spaceId: space.id, scopeCatalog: scopes });
      await storeSpace(orgId, result);
      setScopes(customScopes(result.scopeCatalog));
      toast({
        title: 'Scope catalog saved',
        description: 'New and edited keys of this space can hold these scopes.',
      });
    } catch (error) {
      const described = describeError(error);
      setSaveError(described.fields.scopeCatalog ?? described.message);
    }
  };

  return (
    <SettingsCard
      title="Scope catalog"
      description={
        <>
          The scopes keys of this space may hold, as <span className="mono">resource:action</span> or{' '}
          <span className="mono">resource:*</span>. A key's scopes are always a subset of this list.
        </>
      }
      footerNote={
        editable
          ? dirty
            ? 'Unsaved changes. Removing a scope is refused while live keys still hold it.'
            : `${scopes.length} custom ${scopes.length === 1 ? 'scope' : 'scopes'} and ${RESERVED_SCOPES.length} reserved.`
          : readOnlyNote
      }
      footerActions={
        editable ? (
          <>
            {dirty ? (
              <Button
                variant="ghost"
                onClick={() => {
                  setScopes(saved);
                  setSaveError(null);
                }}
                disabled={update.isPending}
              >
                Discard
              </Button>
            ) : null}
            <Button variant="primary" onClick={save} loading={update.isPending} disabled={!dirty}>
              Save catalog
            </Button>
          </>
        ) : null
      }
    >
      {saveError ? (
        <Alert tone="danger" title="The catalog was not saved">
          {saveError}
        </Alert>
      ) : null}
      <div className="catalog-section">
        <p className="catalog-section__label">
          Reserved <span className="catalog-section__hint">· {RESERVED_HINT}</span>
        </p>
        <ul className="catalog-chips" aria-label="Reserved scopes">
          {RESERVED_SCOPES.map((scope) => (
            <li key={scope}>
              <span className="catalog-chip catalog-chip--locked" title={RESERVED_HINT}>
                <LockIcon size={12} />
                {scope}
                <span className="sr-only"> (reserved, cannot be removed)</span>
              </span>
            </li>
          ))}
        </ul>
      </div>
      <div className="catalog-section">
        <p className="catalog-section__label">This space's scopes</p>
        {scopes.length > 0 ? (
          <ul className="catalog-chips" aria-label="Custom scopes">
            {scopes.map((scope) => (
              <li key={scope} className="catalog-chip" data-new={!saved.includes(scope) || undefined}>
                <span>{scope}</span>
                {editable ? (
                  <button
                    type="button"
                    className="catalog-chip__remove"
                    aria-label={`Remove ${scope}`}
                    title={`Remove ${scope}`}
                    onClick={() => {
                      setScopes((list) => list.filter((item) => item !== scope));
                      setSaveError(null);
                    }}
                  >
                    <XIcon size={12} />
                  </button>
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <p className="catalog-section__empty">
            No scopes of its own yet
            {editable ? ': add the permissions your API checks, such as orders:read.' : '.'}
          </p>
        )}
      </div>
      {editable ? (
        <div className="catalog-add">
          <TextField
            label="Add scopes"
            value={draft}
            onChange={(event) => {
              setDraft(event.target.value);
              if (fieldError) setFieldError(null);
            }}
            onKeyDown={(event) => {
              if (event.key === 'Enter') add(event);
            }}
            error={fieldError}
            placeholder="orders:read, orders:write, refunds:*"
            autoComplete="off"
            spellCheck={false}
            className="mono"
            hint="Separate several with commas or spaces. Lowercase letters, digits, _ and -."
            fieldClassName="catalog-add__field"
          />
          <Button icon={<PlusIcon size={16} />} onClick={() => add()} className="catalog-add__button">
            Add
          </Button>
        </div>
      ) : null}
    </SettingsCard>
  );
}
