import type { KeyPolicy } from '@keysmith/domain';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Alert, Badge, Button, Dialog, LoadingBlock } from '../../components';
import { describeError } from '../../lib/api-errors';
import { Link } from '../../lib/router';
import { trpc } from '../../lib/trpc';
import { organizationPath } from '../organization/organization-preference';
import { describeConsequence, summarisePreview } from './policy-display';

/**
 * Before a policy is saved: what it will do to existing keys and when, computed by the server
 * with the same rules the scheduler and the key service apply. Nothing is saved until the
 * owner confirms here.
 */
export function PolicyPreviewDialog({
  open,
  orgId,
  orgSlug,
  spaceId,
  policy,
  saving,
  saveError,
  onSave,
  onClose,
}: {
  open: boolean;
  orgId: string;
  orgSlug: string;
  spaceId: string | undefined;
  policy: KeyPolicy;
  saving: boolean;
  saveError: unknown;
  onSave: () => void;
  onClose: () => void;
}): ReactNode {
  const preview = useQuery({
    ...trpc.keyPolicy.preview.queryOptions({ orgId, policy, ...(spaceId ? { spaceId } : {}) }),
    enabled: open,
    staleTime: 0,
    gcTime: 0,
    retry: false,
  });
  const data = preview.data;
  const summary = data ? summarisePreview(data) : null;
  const deactivating = data?.counts.deactivateNow ?? 0;
  const shown = data?.keys.length ?? 0;
  return (
    <Dialog
      open={open}
      onClose={onClose}
      dismissible={!saving}
      size="lg"
      title="Review the new key policy"
      description="Existing keys are never changed silently. This is what saving does to them, and when."
      footer={
        <>
          <Button variant="secondary" onClick={onClose} disabled={saving}>
            Back to editing
          </Button>
          <Button
            variant={deactivating > 0 ? 'danger' : 'primary'}
            loading={saving}
            disabled={!data}
            onClick={onSave}
            data-autofocus
          >
            {deactivating > 0
              ? `Save and deactivate ${deactivating} key${deactivating === 1 ? '' : 's'}`
              : 'Save policy'}
          </Button>
        </>
      }
    >
      <div className="stack stack--md policy-preview">
        {preview.isPending ? <LoadingBlock label="Checking existing keys" /> : null}
        {preview.isError ? (
          <Alert
            tone="danger"
            title="Couldn't check existing keys"
            action={
              <Button size="sm" onClick={() => void preview.refetch()} loading={preview.isFetching}>
                Try again
              </Button>
            }
          >
            {describeError(preview.error).message}
          </Alert>
        ) : null}
        {data && summary ? (
          <>
            <Alert
              tone={data.affected === 0 ? 'success' : deactivating > 0 ? 'warning' : 'info'}
              title={summary.title}
            >
              <ul className="policy-notice__list">
                {summary.lines.map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            </Alert>
            {shown > 0 ? (
              <ul className="policy-impact" aria-label="Keys affected by the new policy">
                {data.keys.map((key) => (
                  <li key={key.id} className="policy-impact__key">
                    <div className="policy-impact__head">
                      <Link to={organizationPath(orgSlug, `keys/${key.id}`)} className="policy-impact__name">
                        {key.name}
                      </Link>
                      <code className="key-preview">{key.preview}</code>
                      {spaceId ? null : <span className="text-muted">· {key.space.name}</span>}
                    </div>
                    <ul className="policy-impact__list">
                      {key.consequences.map((consequence, i) => {
                        const view = describeConsequence(consequence, data.now);
                        return (
                          <li
                            key={`${consequence.kind}-${consequence.rule ?? i}`}
                            className="policy-impact__item"
                          >
                            <span className={`policy-impact__what policy-impact__what--${view.tone}`}>
                              {view.text}
                            </span>
                            <Badge tone={view.when === 'When you save' ? 'danger' : 'neutral'}>
                              {view.when}
                            </Badge>
                          </li>
                        );
                      })}
                    </ul>
                  </li>
                ))}
              </ul>
            ) : null}
            {data.affected > shown ? (
              <p className="text-muted">
                Showing the {shown} soonest of {data.affected} affected keys.
              </p>
            ) : null}
          </>
        ) : null}
        {saveError ? <Alert tone="danger">{describeError(saveError).message}</Alert> : null}
      </div>
    </Dialog>
  );
}
