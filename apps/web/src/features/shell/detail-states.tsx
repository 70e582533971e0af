import type { ReactNode } from 'react';
import { EmptyState } from '../../components';
import { ArrowLeftIcon, CompassIcon } from '../../components/icons';
import { Link } from '../../lib/router';
import { LoadError, type LoadErrorProps } from '../organization/load-error';

/**
 * The states a detail page (a key, a space, a webhook endpoint) shows before its record:
 * each under the link back to the list.
 */

/** The link back to the list, above the page. */
export function BackLink({ to, children }: { to: string; children: ReactNode }): ReactNode {
  return (
    <Link to={to} className="back-link">
      <ArrowLeftIcon size={14} /> {children}
    </Link>
  );
}

/** While the record loads: announced to screen readers as `label`, drawn as `children` (skeletons). */
export function DetailLoading({
  back,
  label,
  children,
}: {
  back: ReactNode;
  label: string;
  children: ReactNode;
}): ReactNode {
  return (
    <div className="stack stack--lg" aria-busy="true">
      {back}
      <span className="sr-only" role="status">
        {label}
      </span>
      {children}
    </div>
  );
}

/** The record failed to load: what went wrong, and a retry. */
export function DetailLoadError({ back, ...error }: LoadErrorProps & { back: ReactNode }): ReactNode {
  return (
    <div className="stack stack--lg">
      {back}
      <LoadError {...error} />
    </div>
  );
}

/** No such record (or not one the user can see), with `actions` (a link back, a retry). */
export function DetailNotFound({
  back,
  title,
  description,
  actions,
}: {
  back: ReactNode;
  title: string;
  description: ReactNode;
  actions: ReactNode;
}): ReactNode {
  return (
    <div className="stack stack--lg">
      {back}
      <EmptyState
        icon={<CompassIcon size={22} />}
        title={title}
        description={description}
        actions={actions}
      />
    </div>
  );
}
