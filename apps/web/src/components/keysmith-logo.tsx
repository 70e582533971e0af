import { type ReactNode, useId } from 'react';
import { classNames } from '../lib/class-names';

/** The Keysmith mark: a key cut into an indigo tile. Decorative; the wordmark or a label names it. */
export function KeysmithMark({ size = 28, className }: { size?: number; className?: string }): ReactNode {
  const gradientId = useId();
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 32 32"
      className={classNames('keysmith-mark', className)}
      aria-hidden="true"
      focusable="false"
    >
      <defs>
        <linearGradient id={gradientId} x1="0" y1="0" x2="32" y2="32" gradientUnits="userSpaceOnUse">
          <stop offset="0" stopColor="#6366f1" />
          <stop offset="1" stopColor="#4338ca" />
        </linearGradient>
      </defs>
      <rect width="32" height="32" rx="8" fill={`url(#${gradientId})`} />
      <circle cx="11.5" cy="16" r="4.75" fill="none" stroke="#fff" strokeWidth="2.5" />
      <path
        d="M16.25 16H25.5M22 16v3.5M25.5 16v2.5"
        fill="none"
        stroke="#fff"
        strokeWidth="2.5"
        strokeLinecap="round"
      />
    </svg>
  );
}

/** Mark and name together, for the sidebar and the sign-in pages. */
export function KeysmithWordmark({ size = 28, className }: { size?: number; className?: string }): ReactNode {
  return (
    <span className={classNames('keysmith-wordmark', className)}>
      <KeysmithMark size={size} />
      <span className="keysmith-wordmark__name">Keysmith</span>
    </span>
  );
}
