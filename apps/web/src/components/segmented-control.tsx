import { type ReactNode, useId } from 'react';
import { classNames } from '../lib/class-names';

export interface SegmentedControlOption<T extends string> {
  value: T;
  label: ReactNode;
}

export interface SegmentedControlProps<T extends string> {
  /** The group's accessible name ("Time range"); shown nowhere, the options speak for themselves. */
  label: string;
  value: T;
  options: ReadonlyArray<SegmentedControlOption<T>>;
  onChange: (value: T) => void;
  size?: 'sm' | 'md';
  className?: string;
}

/**
 * A compact one-of-a-few switch (24 h / 7 d / 30 d) for toolbars and card headers: native
 * radios, so arrow keys and screen readers work without extra code.
 */
export function SegmentedControl<T extends string>({
  label,
  value,
  options,
  onChange,
  size = 'md',
  className,
}: SegmentedControlProps<T>): ReactNode {
  const name = useId();
  return (
    <div
      role="radiogroup"
      aria-label={label}
      className={classNames('segmented', size === 'sm' && 'segmented--sm', className)}
    >
      {options.map((option) => (
        <label
          key={option.value}
          className="segmented__option"
          data-checked={option.value === value || undefined}
        >
          <input
            type="radio"
            name={name}
            value={option.value}
            checked={option.value === value}
            onChange={() => onChange(option.value)}
            className="segmented__input"
          />
          <span>{option.label}</span>
        </label>
      ))}
    </div>
  );
}
