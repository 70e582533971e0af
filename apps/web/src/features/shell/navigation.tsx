import type { ReactNode } from 'react';
import {
  BellIcon,
  HomeIcon,
  KeyIcon,
  LayersIcon,
  ScrollTextIcon,
  SettingsIcon,
  ShieldIcon,
  UsersIcon,
  WebhookIcon,
} from '../../components/icons';
import { ApiKeysPage } from '../api-keys/api-keys-page';
import { AuditLogPage } from '../audit-log/audit-log-page';
import { MembersPage } from '../members/members-page';
import { NotificationsPage } from '../notifications/notifications-page';
import { OverviewPage } from '../overview/overview-page';
import { SecurityPage } from '../security/security-page';
import { SettingsPage } from '../settings/settings-page';
import { SpacesPage } from '../spaces/spaces-page';
import { WebhooksPage } from '../webhooks/webhooks-page';

/** One screen of an organization: its URL segment under `/o/:orgSlug`, its nav entry and its page. */
export interface Section {
  /** URL segment (`''` for the overview). */
  segment: string;
  label: string;
  icon: ReactNode;
  render: () => ReactNode;
  /** Nav group: the daily screens first, then the organization's administration. */
  group: 'build' | 'manage';
  /** The section also owns the paths below its segment (`keys/:keyId`) and routes them itself. */
  nested?: boolean;
  /** Only org owners and admins see it in the nav (the page itself also says so to others). */
  adminOnly?: boolean;
  /** Reached from elsewhere (the notification bell), not listed in the nav. */
  hidden?: boolean;
}

export const SECTIONS: readonly Section[] = [
  {
    segment: '',
    label: 'Overview',
    icon: <HomeIcon size={16} />,
    render: () => <OverviewPage />,
    group: 'build',
  },
  {
    segment: 'keys',
    label: 'API keys',
    icon: <KeyIcon size={16} />,
    render: () => <ApiKeysPage />,
    group: 'build',
    nested: true,
  },
  {
    segment: 'spaces',
    label: 'Spaces',
    icon: <LayersIcon size={16} />,
    render: () => <SpacesPage />,
    group: 'build',
    nested: true,
  },
  {
    segment: 'members',
    label: 'Members',
    icon: <UsersIcon size={16} />,
    render: () => <MembersPage />,
    group: 'manage',
  },
  {
    segment: 'audit-log',
    label: 'Audit log',
    icon: <ScrollTextIcon size={16} />,
    render: () => <AuditLogPage />,
    group: 'manage',
    adminOnly: true,
  },
  {
    segment: 'security',
    label: 'Security',
    icon: <ShieldIcon size={16} />,
    render: () => <SecurityPage />,
    group: 'manage',
    adminOnly: true,
  },
  {
    segment: 'webhooks',
    label: 'Webhooks',
    icon: <WebhookIcon size={16} />,
    render: () => <WebhooksPage />,
    group: 'manage',
    nested: true,
    adminOnly: true,
  },
  {
    segment: 'settings',
    label: 'Settings',
    icon: <SettingsIcon size={16} />,
    render: () => <SettingsPage />,
    group: 'manage',
  },
  {
    segment: 'notifications',
    label: 'Notifications',
    icon: <BellIcon size={16} />,
    render: () => <NotificationsPage />,
    group: 'manage',
    hidden: true,
  },
];

export const NAV_GROUPS: ReadonlyArray<{ id: Section['group']; label: string }> = [
  { id: 'build', label: 'Platform' },
  { id: 'manage', label: 'Organization' },
];
