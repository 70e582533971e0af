import type { ReactNode } from 'react';
import { EmptyState } from '../../components';
import { KeyIcon, LayersIcon, UsersIcon } from '../../components/icons';
import { PageIntro } from '../shell/page';

/** Spaces of the organization; for now, what a space is. */
export function SpacesPage(): ReactNode {
  return (
    <div className="stack stack--lg">
      <PageIntro description="A space groups the keys of one API, with its own scope catalog, logo and members." />
      <EmptyState
        icon={<LayersIcon size={22} />}
        title="No spaces yet"
        description="Spaces you create appear here with their logo, scope catalog and members. Each API key is issued from a space."
      >
        <ul className="feature-list">
          <li>
            <span className="feature-list__icon">
              <KeyIcon size={16} />
            </span>
            <span>
              <strong>Scope catalog</strong>
              <span>
                The permissions its keys may hold, such as <span className="mono">orders:read</span>.
              </span>
            </span>
          </li>
          <li>
            <span className="feature-list__icon">
              <UsersIcon size={16} />
            </span>
            <span>
              <strong>Space roles</strong>
              <span>Admins, developers and viewers, apart from organization roles.</span>
            </span>
          </li>
        </ul>
      </EmptyState>
    </div>
  );
}
