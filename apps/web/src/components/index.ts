/** The shared UI kit. Screens import from here, never from each other's folders. */
export { Alert, type AlertProps, type AlertTone } from './alert';
export { Avatar, type AvatarPerson, type AvatarSize, Logo, PersonAvatar } from './avatar';
export { Badge, type BadgeProps, type BadgeTone } from './badge';
export {
  Button,
  ButtonLink,
  type ButtonProps,
  type ButtonVariant,
  buttonClassName,
  IconButton,
} from './button';
export { Card, CardHeader } from './card';
export { CodeBlock } from './code-block';
export { ConfirmDialog, type ConfirmDialogProps } from './confirm-dialog';
export { CopyButton, copyToClipboard } from './copy-button';
export { DetailRow } from './detail-list';
export { Dialog, type DialogProps } from './dialog';
export {
  DropdownMenu,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  type MenuTriggerProps,
} from './dropdown-menu';
export { EmptyState, type EmptyStateProps } from './empty-state';
export { ClearFiltersButton, FilterBar, FilterInput } from './filter-bar';
export { KeysmithMark, KeysmithWordmark } from './keysmith-logo';
export { LoadFailedState, NoMatchesState } from './list-states';
export { CursorFooter, type CursorPagesQuery, LoadMoreFooter, type LoadMoreFooterProps } from './load-more';
export { OnceRevealDialog, type OnceRevealDialogProps } from './once-reveal-dialog';
export { Person } from './person';
export {
  type CursorPage,
  cursorPaging,
  hiddenLabel,
  type ListQuery,
  QueryLoadFailed,
  QueryTable,
  type QueryTableColumn,
  type QueryTableProps,
  useCursorList,
} from './query-table';
export {
  SegmentedControl,
  type SegmentedControlOption,
  type SegmentedControlProps,
} from './segmented-control';
export { Select, type SelectOption, type SelectProps } from './select';
export { Skeleton, SkeletonText } from './skeleton';
export { LoadingBlock, Spinner } from './spinner';
export { Table, TableBody, TableCell, TableContainer, TableHead, TableHeaderCell, TableRow } from './table';
export { PasswordField, TextField, type TextFieldProps } from './text-field';
export { TimeRangeField, type TimeRangeFieldProps } from './time-range-field';
export { type ToastInput, ToastProvider, useToast } from './toast';
export { Tooltip } from './tooltip';
