import type { ReactNode } from 'react';
import { Badge, KeysmithWordmark } from '../../components';
import { CheckIcon } from '../../components/icons';
import { Link } from '../../lib/router';

export interface AuthLayoutProps {
  title: string;
  subtitle: ReactNode;
  children: ReactNode;
  /** Under the card: the link to the other auth page. */
  footer?: ReactNode;
  /** At the top right: e.g. who is signed in, on the onboarding screen. */
  topRight?: ReactNode;
  /** The illustration on the right; a key with its limits by default. */
  showcase?: ReactNode;
}

/** The eyebrow, headline and checked points above a showcase illustration. */
export function ShowcaseCopy({
  eyebrow,
  headline,
  points,
}: {
  eyebrow: string;
  headline: string;
  points: string[];
}): ReactNode {
  return (
    <div className="showcase__copy">
      <p className="showcase__eyebrow">{eyebrow}</p>
      <p className="showcase__headline">{headline}</p>
      <ul className="showcase__points">
        {points.map((point) => (
          <li key={point}>
            <span className="showcase__check">
              <CheckIcon size={12} />
            </span>
            {point}
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * The frame of the signed-out and onboarding pages: the form on the left, the product's
 * promise on the right (hidden on narrow screens).
 */
export function AuthLayout({
  title,
  subtitle,
  children,
  footer,
  topRight,
  showcase,
}: AuthLayoutProps): ReactNode {
  return (
    <div className="auth">
      <div className="auth__main">
        <header className="auth__top">
          <Link to="/" className="auth__brand" aria-label="Keysmith home">
            <KeysmithWordmark size={28} />
          </Link>
          {topRight}
        </header>
        <main className="auth__content" id="main">
          <div className="auth__panel">
            <h1 className="auth__title">{title}</h1>
            <p className="auth__subtitle">{subtitle}</p>
            {children}
          </div>
          {footer ? <p className="auth__footer">{footer}</p> : null}
        </main>
      </div>
      <aside className="auth__showcase" aria-hidden="true">
        {showcase ?? <KeyShowcase />}
      </aside>
    </div>
  );
}

/** A still life of the product: one key with its scopes, quota and limits. Purely illustrative. */
function KeyShowcase(): ReactNode {
  return (
    <div className="showcase">
      <ShowcaseCopy
        eyebrow="API key management"
        headline="Keys your customers trust. Limits your API can rely on."
        points={[
          'Scoped keys with expiry, quotas and rate limits',
          'Revocations take effect in under a second',
          'Every call logged, every change audited',
        ]}
      />
      <div className="showcase__card">
        <div className="showcase__card-head">
          <div>
            <p className="showcase__key-name">Checkout service</p>
            <p className="showcase__key-preview mono">sk_live_7Hq2...0Rr</p>
          </div>
          <Badge tone="success" dot>
            Active
          </Badge>
        </div>
        <div className="showcase__chips">
          <span className="chip mono">orders:read</span>
          <span className="chip mono">orders:write</span>
          <span className="chip mono">refunds:*</span>
        </div>
        <div className="showcase__meter">
          <div className="showcase__meter-row">
            <span>Monthly quota</span>
            <span className="tabular">62,400 / 100,000</span>
          </div>
          <div className="meter">
            <span className="meter__fill" style={{ width: '62.4%' }} />
          </div>
        </div>
        <dl className="showcase__facts">
          <div>
            <dt>Rate limit</dt>
            <dd>20 / second</dd>
          </div>
          <div>
            <dt>Environment</dt>
            <dd>Production</dd>
          </div>
          <div>
            <dt>Last used</dt>
            <dd>2 minutes ago</dd>
          </div>
        </dl>
      </div>
      <div className="showcase__log">
        {[
          ['200', 'POST /v1/orders', '38 ms'],
          ['200', 'GET /v1/orders/ord_91x', '12 ms'],
          ['429', 'POST /v1/orders', '2 ms'],
        ].map(([status, line, ms]) => (
          <div key={`${status}${line}${ms}`} className="showcase__log-row mono">
            <span className={status === '200' ? 'status-ok' : 'status-warn'}>{status}</span>
            <span>{line}</span>
            <span className="showcase__log-ms">{ms}</span>
          </div>
        ))}
      </div>
    </div>
  );
}
