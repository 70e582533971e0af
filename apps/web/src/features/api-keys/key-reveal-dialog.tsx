import type { ReactNode } from 'react';
import { OnceRevealDialog } from '../../components';
import { formatInstant } from '../../lib/format';
import { EnvironmentBadge } from './key-parts';
import type { KeyRecord } from './key-types';

/**
 * A key just issued by create or roll. It exists only in the state of the screen that issued
 * it: never in the query cache, the URL, storage or a log, and it is dropped when the dialog
 * closes.
 */
export interface IssuedKey {
  key: string;
  record: KeyRecord;
  /** For a roll: the key it replaces (its record after the roll). */
  replaces?: KeyRecord;
}

export interface KeyRevealDialogProps {
  issued: IssuedKey | null;
  /** Called by "I have copied it"; the caller must drop the key from its state. */
  onClose: () => void;
}

/** Shows a new key in full exactly once, with a copy button and the warning that it will not be shown again. */
export function KeyRevealDialog({ issued, onClose }: KeyRevealDialogProps): ReactNode {
  const record = issued?.record;
  const replaces = issued?.replaces;
  const graceEnd = replaces?.graceEndsAt ?? null;
  return (
    <OnceRevealDialog
      secret={issued?.key ?? null}
      noun="API key"
      testId="revealed-key"
      onClose={onClose}
      title={replaces ? 'Your new API key' : 'Your API key is ready'}
      description={
        replaces ? (
          <>
            <strong>{record?.name}</strong> has a new key with the same space, scopes and limits.
          </>
        ) : (
          <>
            <strong>{record?.name}</strong> was created in {record?.space.name}.
          </>
        )
      }
      warning="Keysmith keeps only a hash of the secret, so nobody can show you this key again. If you lose it, roll the key to get a new one."
      meta={record ? <EnvironmentBadge environment={record.environment} /> : null}
      note={
        replaces ? (
          graceEnd && new Date(graceEnd).getTime() > Date.now() ? (
            <>
              The old key <code className="key-preview">{replaces.preview}</code> keeps working until{' '}
              <strong>{formatInstant(graceEnd)}</strong>, then it is revoked automatically.
            </>
          ) : (
            <>
              The old key <code className="key-preview">{replaces.preview}</code> stopped working now.
            </>
          )
        ) : (
          <>
            Give it to the consumer of your API over a secure channel. They send it as{' '}
            <code>Authorization: Bearer …</code>; your backend checks it with{' '}
            <code>POST /v1/keys/verify</code>.
          </>
        )
      }
    />
  );
}
