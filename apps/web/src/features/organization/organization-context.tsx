import { createContext, type ReactNode, useContext } from 'react';
import type { CurrentUser, Me, Organization } from '../../lib/trpc';

export interface OrganizationContextValue {
  organization: Organization;
  organizations: Me['organizations'];
  user: CurrentUser;
}

const OrganizationContext = createContext<OrganizationContextValue | null>(null);

export function OrganizationProvider({
  value,
  children,
}: {
  value: OrganizationContextValue;
  children: ReactNode;
}): ReactNode {
  return <OrganizationContext.Provider value={value}>{children}</OrganizationContext.Provider>;
}

/** The organization in the URL, the user's other organizations and the user; only inside the shell. */
export function useCurrentOrganization(): OrganizationContextValue {
  const value = useContext(OrganizationContext);
  if (!value) throw new Error('useCurrentOrganization must be used inside the organization shell');
  return value;
}
