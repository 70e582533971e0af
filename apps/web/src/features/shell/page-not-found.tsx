import type { ReactNode } from 'react';
import { ButtonLink, EmptyState } from '../../components';
import { CompassIcon } from '../../components/icons';

/** A path inside a section that names nothing: says so, and leads back to the section's list. */
export function PageNotFound({
  backTo,
  backLabel,
  description = 'The link may be old or mistyped.',
}: {
  backTo: string;
  backLabel: string;
  description?: string;
}): ReactNode {
  return (
    <EmptyState
      icon={<CompassIcon size={22} />}
      title="This page doesn't exist"
      description={description}
      actions={
        <ButtonLink to={backTo} variant="primary">
          {backLabel}
        </ButtonLink>
      }
    />
  );
}
