import type { ReactNode } from 'react';
import { classNames } from '../lib/class-names';
import { Button } from './button';
import { SearchIcon } from './icons';

/** "Clear filters", shown only while a filter is set. */
export function ClearFiltersButton({ shown, onClear }: { shown: boolean; onClear: () => void }): ReactNode {
  return shown ? (
    <Button variant="ghost" size="sm" onClick={onClear}>
      Clear filters
    </Button>
  ) : null;
}

/** The filters above a list, ending with "Clear filters" while any is set. */
export function FilterBar({
  label,
  className,
  filtered,
  onClear,
  children,
}: {
  /** The accessible name of the search landmark ("Filter audit events"). */
  label: string;
  className?: string;
  filtered: boolean;
  onClear: () => void;
  children: ReactNode;
}): ReactNode {
  return (
    <search className={classNames('filter-bar', className)} aria-label={label}>
      {children}
      <ClearFiltersButton shown={filtered} onClear={onClear} />
    </search>
  );
}

/** A free-text filter of a filter bar (an IP, an ID, a path prefix). */
export function FilterInput({
  label,
  placeholder,
  value,
  onChange,
  className,
  searchIcon = false,
}: {
  /** Read by screen readers only; the placeholder is what shows. */
  label: string;
  placeholder: string;
  value: string;
  onChange: (value: string) => void;
  /** Modifiers, e.g. "filter-input--mono filter-input--wide". */
  className?: string;
  searchIcon?: boolean;
}): ReactNode {
  return (
    <label className={classNames('filter-input', className)}>
      {searchIcon ? <SearchIcon size={14} className="filter-input__icon" /> : null}
      <span className="sr-only">{label}</span>
      <input
        type="search"
        placeholder={placeholder}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        spellCheck={false}
        autoComplete="off"
      />
    </label>
  );
}
