/**
 * Every screen's stylesheet, loaded with the shell in the order the single bundle had them
 * (before `styles.css`), so the cascade is the same on every screen: screens are split into
 * chunks for their JavaScript only. Shared components are styled in more than one of these
 * files, and 92 kB of CSS is 17 kB compressed, so splitting it would cost more than it saves.
 */
import './features/organization/tenancy.css';
import './features/invitations/invitations.css';
import './features/notifications/notifications.css';
import './features/usage/usage.css';
import './features/api-keys/api-keys.css';
import './features/audit-log/audit-log.css';
import './features/members/members.css';
import './features/overview/overview.css';
import './features/security/security.css';
import './features/settings/settings.css';
import './features/spaces/spaces.css';
import './features/webhooks/webhooks.css';
