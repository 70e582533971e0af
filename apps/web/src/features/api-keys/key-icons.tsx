import type { ReactNode, SVGProps } from 'react';

/**
 * Icons only the keys screens use, drawn like those of components/icons (Lucide's 24-unit
 * grid, 1.8 stroke). Kept here so the shared icon file does not grow with one screen's needs.
 */
type IconProps = Omit<SVGProps<SVGSVGElement>, 'children'> & { size?: number };

function icon(name: string, paths: ReactNode) {
  function Icon({ size = 16, ...rest }: IconProps): ReactNode {
    return (
      <svg
        width={size}
        height={size}
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        strokeWidth={1.8}
        strokeLinecap="round"
        strokeLinejoin="round"
        aria-hidden="true"
        focusable="false"
        {...rest}
      >
        {paths}
      </svg>
    );
  }
  Icon.displayName = `${name}Icon`;
  return Icon;
}

export const SearchIcon = icon(
  'Search',
  <>
    <circle cx="11" cy="11" r="7" />
    <path d="m20 20-3.5-3.5" />
  </>,
);
export const MoreHorizontalIcon = icon(
  'MoreHorizontal',
  <>
    <circle cx="12" cy="12" r="1" />
    <circle cx="19" cy="12" r="1" />
    <circle cx="5" cy="12" r="1" />
  </>,
);
export const RotateIcon = icon(
  'Rotate',
  <>
    <path d="M21 12a9 9 0 1 1-2.64-6.36L21 8" />
    <path d="M21 3v5h-5" />
  </>,
);
export const PauseIcon = icon(
  'Pause',
  <>
    <circle cx="12" cy="12" r="9" />
    <path d="M10 9v6" />
    <path d="M14 9v6" />
  </>,
);
export const PlayIcon = icon(
  'Play',
  <>
    <circle cx="12" cy="12" r="9" />
    <path d="m10 8.5 5 3.5-5 3.5z" />
  </>,
);
export const BanIcon = icon(
  'Ban',
  <>
    <circle cx="12" cy="12" r="9" />
    <path d="m5.7 5.7 12.6 12.6" />
  </>,
);
export const TrashIcon = icon(
  'Trash',
  <>
    <path d="M3 6h18" />
    <path d="M8 6V4h8v2" />
    <path d="M19 6l-1 14H6L5 6" />
    <path d="M10 11v5" />
    <path d="M14 11v5" />
  </>,
);
export const PencilIcon = icon(
  'Pencil',
  <>
    <path d="M17 3a2.85 2.85 0 0 1 4 4L7.5 20.5 2 22l1.5-5.5Z" />
    <path d="m15 5 4 4" />
  </>,
);
export const ArrowUpIcon = icon(
  'ArrowUp',
  <>
    <path d="m5 12 7-7 7 7" />
    <path d="M12 19V5" />
  </>,
);
export const ArrowDownIcon = icon(
  'ArrowDown',
  <>
    <path d="M12 5v14" />
    <path d="m19 12-7 7-7-7" />
  </>,
);
export const ChevronLeftIcon = icon('ChevronLeft', <path d="m15 18-6-6 6-6" />);
export const ChevronsUpDownSmallIcon = icon(
  'ChevronsUpDownSmall',
  <>
    <path d="m8 15 4 4 4-4" />
    <path d="m8 9 4-4 4 4" />
  </>,
);
export const ClipboardIcon = icon(
  'Clipboard',
  <>
    <rect width="8" height="4" x="8" y="2" rx="1" />
    <path d="M16 4h2a2 2 0 0 1 2 2v14a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2h2" />
  </>,
);
export const ClockIcon = icon(
  'Clock',
  <>
    <circle cx="12" cy="12" r="9" />
    <path d="M12 7v5l3 2" />
  </>,
);
