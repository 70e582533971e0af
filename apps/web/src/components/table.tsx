import type { HTMLAttributes, ReactNode, TdHTMLAttributes, ThHTMLAttributes } from 'react';
import { classNames } from '../lib/class-names';

/**
 * Table primitives: semantic `<table>` elements in the product's look. Wrap in
 * `TableContainer` for the card frame and horizontal scrolling on narrow screens.
 */

export function TableContainer({ className, children, ...rest }: HTMLAttributes<HTMLDivElement>): ReactNode {
  return (
    <div {...rest} className={classNames('table-container', className)}>
      {children}
    </div>
  );
}

export interface TableProps extends HTMLAttributes<HTMLTableElement> {
  /** Names the table for screen readers (visually hidden). */
  caption?: string;
}

function TableRoot({ caption, className, children, ...rest }: TableProps): ReactNode {
  return (
    <table {...rest} className={classNames('table', className)}>
      {caption ? <caption className="sr-only">{caption}</caption> : null}
      {children}
    </table>
  );
}

export function TableHead({ children, ...rest }: HTMLAttributes<HTMLTableSectionElement>): ReactNode {
  return <thead {...rest}>{children}</thead>;
}

export function TableBody({ children, ...rest }: HTMLAttributes<HTMLTableSectionElement>): ReactNode {
  return <tbody {...rest}>{children}</tbody>;
}

export interface TableRowProps extends HTMLAttributes<HTMLTableRowElement> {
  /** Highlights on hover (rows that open a detail page). */
  interactive?: boolean;
}

export function TableRow({ interactive, className, children, ...rest }: TableRowProps): ReactNode {
  return (
    <tr {...rest} className={classNames(interactive && 'table__row--interactive', className)}>
      {children}
    </tr>
  );
}

export interface TableHeaderCellProps extends Omit<ThHTMLAttributes<HTMLTableCellElement>, 'align'> {
  align?: 'start' | 'end' | 'center';
}

export function TableHeaderCell({
  align = 'start',
  className,
  children,
  ...rest
}: TableHeaderCellProps): ReactNode {
  return (
    <th scope="col" {...rest} className={classNames(`align-${align}`, className)}>
      {children}
    </th>
  );
}

export interface TableCellProps extends Omit<TdHTMLAttributes<HTMLTableCellElement>, 'align'> {
  align?: 'start' | 'end' | 'center';
  /** Monospaced (ids, key previews, IPs). */
  mono?: boolean;
  /** Secondary, muted text. */
  muted?: boolean;
}

export function TableCell({
  align = 'start',
  mono,
  muted,
  className,
  children,
  ...rest
}: TableCellProps): ReactNode {
  return (
    <td {...rest} className={classNames(`align-${align}`, mono && 'mono', muted && 'text-muted', className)}>
      {children}
    </td>
  );
}

/** The heading of a row-actions column: empty to the eye, "Actions" to screen readers. */
function TableActionsHeader({ className }: { className?: string }): ReactNode {
  return (
    <TableHeaderCell align="end" {...(className ? { className } : {})}>
      <span className="sr-only">Actions</span>
    </TableHeaderCell>
  );
}

/**
 * `<Table>` and its parts as `Table.Head`, `Table.Body`, `Table.Row`, `Table.HeaderCell`,
 * `Table.Cell` and `Table.Container`, so a screen imports one name for a whole table.
 */
export const Table = Object.assign(TableRoot, {
  Container: TableContainer,
  Head: TableHead,
  Body: TableBody,
  Row: TableRow,
  HeaderCell: TableHeaderCell,
  Cell: TableCell,
  ActionsHeader: TableActionsHeader,
});
