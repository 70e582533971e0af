import type { ReactNode } from 'react';
import { Badge, Logo } from '../../components';
import { KeyIcon, LayersIcon, UsersIcon } from '../../components/icons';
import { ShowcaseCopy } from '../auth/auth-layout';

/**
 * The onboarding illustration: the organization being created (its name and URL update as
 * the user types) and what it will hold. Decorative; the form carries all the information.
 */
export function OrganizationShowcase({ name, slug }: { name: string; slug: string }): ReactNode {
  const rows = [
    { icon: <LayersIcon size={16} />, title: 'Spaces', text: 'One per API, each with its own scope catalog' },
    {
      icon: <KeyIcon size={16} />,
      title: 'API keys',
      text: 'Scoped, rate-limited, revocable in under a second',
    },
    { icon: <UsersIcon size={16} />, title: 'Members', text: 'Owners, admins and members, invited by email' },
  ];
  return (
    <div className="showcase">
      <ShowcaseCopy
        eyebrow="Your organization"
        headline="One home for every key your API issues."
        points={['You are the owner and can invite your team', 'Start on the Free plan; upgrade any time']}
      />
      <div className="showcase__card">
        <div className="showcase__org">
          <Logo name={name} seed={slug || name} size="lg" />
          <div className="showcase__org-text">
            <p className="showcase__key-name">{name}</p>
            <p className="showcase__key-preview mono">/o/{slug || 'your-organization'}</p>
          </div>
          <Badge>Free</Badge>
        </div>
        <ul className="showcase__tree">
          {rows.map((row) => (
            <li key={row.title}>
              <span className="showcase__tree-icon">{row.icon}</span>
              <span>
                <span className="showcase__tree-title">{row.title}</span>
                <span className="showcase__tree-text">{row.text}</span>
              </span>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
