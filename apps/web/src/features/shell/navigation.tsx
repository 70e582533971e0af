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
import { type LazyPage, lazyPage } from '../../lib/lazy-page';

/** One screen of an organization: its URL segment under `/o/:orgSlug`, its nav entry and its page. */
export interface Section {
  /** URL segment (`''` for the overview). */
  segment: string;
  label: string;
  icon: ReactNode;
  /** The screen, loaded as its own chunk on first visit. */
  page: LazyPage;
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
    page: lazyPage(() => import('../overview/overview-page'), 'OverviewPage'),
    group: 'build',
  },
  {
    segment: 'keys',
    label: 'API keys',
    icon: <KeyIcon size={16} />,
    page: lazyPage(() => import('../api-keys/api-keys-page'), 'ApiKeysPage'),
    group: 'build',
    nested: true,
  },
  {
    segment: 'spaces',
    label: 'Spaces',
    icon: <LayersIcon size={16} />,
    page: lazyPage(() => import('../spaces/spaces-page'), 'SpacesPage'),
    group: 'build',
    nested: true,
  },
  {
    segment: 'members',
    label: 'Members',
    icon: <UsersIcon size={16} />,
    page: lazyPage(() => import('../members/members-page'), 'MembersPage'),
    group: 'manage',
  },
  {
    segment: 'audit-log',
    label: 'Audit log',
    icon: <ScrollTextIcon size={16} />,
    page: lazyPage(() => import('../audit-log/audit-log-page'), 'AuditLogPage'),
    group: 'manage',
    adminOnly: true,
  },
  {
    segment: 'security',
    label: 'Security',
    icon: <ShieldIcon size={16} />,
    page: lazyPage(() => import('../security/security-page'), 'SecurityPage'),
    group: 'manage',
    adminOnly: true,
  },
  {
    segment: 'webhooks',
    label: 'Webhooks',
    icon: <WebhookIcon size={16} />,
    page: lazyPage(() => import('../webhooks/webhooks-page'), 'WebhooksPage'),
    group: 'manage',
    nested: true,
    adminOnly: true,
  },
  {
    segment: 'settings',
    label: 'Settings',
    icon: <SettingsIcon size={16} />,
    page: lazyPage(() => import('../settings/settings-page'), 'SettingsPage'),
    group: 'manage',
  },
  {
    segment: 'notifications',
    label: 'Notifications',
    icon: <BellIcon size={16} />,
    page: lazyPage(() => import('../notifications/notifications-page'), 'NotificationsPage'),
    group: 'manage',
    hidden: true,
  },
];

export const NAV_GROUPS: ReadonlyArray<{ id: Section['group']; label: string }> = [
  { id: 'build', label: 'Platform' },
  { id: 'manage', label: 'Organization' },
];

/** Starts loading the screen a URL opens, alongside the shell, instead of after it renders. */
export function preloadSectionOf(pathname: string): void {
  const segment = /^\/o\/[^/]+\/?([^/?#]*)/.exec(pathname)?.[1];
  if (segment === undefined) return;
  SECTIONS.find((section) => section.segment === segment)?.page.preload();
}
