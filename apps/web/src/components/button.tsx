import type { ButtonHTMLAttributes, ReactNode, Ref } from 'react';
import { classNames } from '../lib/class-names';
import { Link, type LinkProps } from '../lib/router';
import { Spinner } from './spinner';

export type ButtonVariant = 'primary' | 'secondary' | 'danger' | 'ghost';
export type ButtonSize = 'sm' | 'md' | 'lg';

interface ButtonLookProps {
  variant?: ButtonVariant | undefined;
  size?: ButtonSize | undefined;
  /** An icon before the label (decorative; the label names the action). */
  icon?: ReactNode;
  /** Stretch to the container's width (forms on the auth pages). */
  block?: boolean | undefined;
}

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement>, ButtonLookProps {
  /** Shows a spinner, disables the button and sets `aria-busy` while an action runs. */
  loading?: boolean;
  ref?: Ref<HTMLButtonElement>;
}

export function buttonClassName(
  { variant = 'secondary', size = 'md', block }: ButtonLookProps,
  extra?: string,
): string {
  return classNames('btn', `btn--${variant}`, `btn--${size}`, block && 'btn--block', extra);
}

/** The one button of the product. `type` defaults to "button" so nothing submits a form by accident. */
export function Button({
  variant,
  size,
  icon,
  block,
  loading = false,
  disabled,
  className,
  children,
  type = 'button',
  ...rest
}: ButtonProps): ReactNode {
  return (
    <button
      {...rest}
      type={type}
      className={buttonClassName({ variant, size, block }, classNames(loading && 'is-loading', className))}
      disabled={disabled || loading}
      aria-busy={loading || undefined}
    >
      {loading ? <Spinner size="sm" label={null} className="btn__spinner" /> : icon}
      {children !== undefined && <span className="btn__label">{children}</span>}
    </button>
  );
}

export interface ButtonLinkProps extends LinkProps, ButtonLookProps {}

/** A link that looks like a button, for actions that are navigation ("Go to Spaces"). */
export function ButtonLink({
  variant,
  size,
  icon,
  block,
  className,
  children,
  ...rest
}: ButtonLinkProps): ReactNode {
  return (
    <Link {...rest} className={buttonClassName({ variant, size, block }, className)}>
      {icon}
      {children !== undefined && <span className="btn__label">{children}</span>}
    </Link>
  );
}

export interface IconButtonProps extends Omit<ButtonProps, 'children' | 'icon' | 'block'> {
  /** The accessible name: an icon-only button must say what it does. */
  label: string;
  children: ReactNode;
}

/** A square button holding only an icon; `label` becomes its accessible name and title. */
export function IconButton({
  label,
  children,
  variant = 'ghost',
  size = 'md',
  className,
  ...rest
}: IconButtonProps): ReactNode {
  return (
    <Button
      {...rest}
      variant={variant}
      size={size}
      icon={children}
      aria-label={label}
      title={label}
      className={classNames('btn--icon', className)}
    />
  );
}
