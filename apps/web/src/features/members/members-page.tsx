import type { ReactNode } from 'react';
import {
  Avatar,
  Badge,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableHeaderCell,
  TableRow,
} from '../../components';
import { useCurrentOrganization } from '../organization/organization-context';
import { ROLE_LABEL } from '../organization/organization-labels';
import { PageIntro } from '../shell/page';

/** Members of the organization. Until invitations exist the list is the signed-in user. */
export function MembersPage(): ReactNode {
  const { organization, user } = useCurrentOrganization();
  return (
    <div className="stack stack--lg">
      <PageIntro description="People who can sign in to this organization, and what they may do." />
      <TableContainer>
        <Table caption={`Members of ${organization.name}`}>
          <TableHead>
            <TableRow>
              <TableHeaderCell>Member</TableHeaderCell>
              <TableHeaderCell>Role</TableHeaderCell>
            </TableRow>
          </TableHead>
          <TableBody>
            <TableRow>
              <TableCell>
                <span className="person">
                  <Avatar
                    name={user.displayName}
                    initials={user.initials}
                    color={user.avatarColor}
                    size="md"
                  />
                  <span className="person__text">
                    <span className="person__name">
                      {user.displayName} <Badge>You</Badge>
                    </span>
                    <span className="person__email">{user.email}</span>
                  </span>
                </span>
              </TableCell>
              <TableCell>
                <Badge tone={organization.role === 'owner' ? 'accent' : 'neutral'}>
                  {ROLE_LABEL[organization.role]}
                </Badge>
              </TableCell>
            </TableRow>
          </TableBody>
        </Table>
        <p className="table-footnote">
          Owners manage everything, including the plan. Admins manage members, spaces and all keys. Members
          work in the spaces they belong to.
        </p>
      </TableContainer>
    </div>
  );
}
