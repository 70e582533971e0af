import {
  createContext,
  type KeyboardEvent,
  type ReactNode,
  type RefObject,
  useCallback,
  useContext,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
} from 'react';
import { createPortal } from 'react-dom';
import { classNames } from '../lib/class-names';
import { CheckIcon } from './icons';
import { placeMenu } from './menu-placement';

interface MenuContextValue {
  close: (restoreFocus: boolean) => void;
}

const MenuContext = createContext<MenuContextValue | null>(null);

/** Props to spread on the element that opens the menu. */
export interface MenuTriggerProps {
  ref: RefObject<HTMLButtonElement | null>;
  id: string;
  'aria-haspopup': 'menu';
  'aria-expanded': boolean;
  'aria-controls': string | undefined;
  onClick: () => void;
  onKeyDown: (event: KeyboardEvent<HTMLButtonElement>) => void;
}

export interface DropdownMenuProps {
  /** Renders the opener; spread the given props on a `<button>`. */
  trigger: (props: MenuTriggerProps, open: boolean) => ReactNode;
  /** The menu's accessible name. */
  label: string;
  align?: 'start' | 'end';
  side?: 'bottom' | 'top';
  /** Width of the menu; defaults to its content. `trigger` matches the opener's width. */
  width?: number | 'trigger';
  className?: string;
  children: ReactNode;
}

interface MenuPosition {
  top: number;
  left: number;
  minWidth: number | undefined;
}

function menuItems(menu: HTMLElement | null): HTMLElement[] {
  if (!menu) return [];
  return Array.from(menu.querySelectorAll<HTMLElement>('[role^="menuitem"]:not([aria-disabled="true"])'));
}

/**
 * A menu of actions that opens from a button, following the WAI-ARIA menu button pattern:
 * Enter, Space or ↓ open it on the first item (↑ on the last), arrows and Home/End move,
 * Esc closes and returns focus to the button, Tab closes, a click outside closes.
 */
export function DropdownMenu({
  trigger,
  label,
  align = 'start',
  side = 'bottom',
  width,
  className,
  children,
}: DropdownMenuProps): ReactNode {
  const [open, setOpen] = useState(false);
  const [focusOnOpen, setFocusOnOpen] = useState<'first' | 'last'>('first');
  const triggerRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  const triggerId = useId();
  const menuId = useId();
  const [position, setPosition] = useState<MenuPosition | null>(null);

  // The menu is portalled to <body> with fixed coordinates, so no scrolling or clipping
  // ancestor (the sidebar, a table container) can cut it off.
  useLayoutEffect(() => {
    if (!open) {
      setPosition(null);
      return;
    }
    const update = () => {
      const triggerEl = triggerRef.current;
      const menuEl = menuRef.current;
      if (!triggerEl || !menuEl) return;
      const rect = triggerEl.getBoundingClientRect();
      const { top, left } = placeMenu(
        rect,
        { width: menuEl.offsetWidth, height: menuEl.offsetHeight },
        { width: window.innerWidth, height: window.innerHeight },
        align,
        side,
      );
      setPosition({ top, left, minWidth: width === 'trigger' ? rect.width : undefined });
    };
    update();
    window.addEventListener('resize', update);
    window.addEventListener('scroll', update, true);
    return () => {
      window.removeEventListener('resize', update);
      window.removeEventListener('scroll', update, true);
    };
  }, [open, align, side, width]);

  const close = useCallback((restoreFocus: boolean) => {
    setOpen(false);
    if (restoreFocus) triggerRef.current?.focus();
  }, []);

  useEffect(() => {
    if (!open) return;
    const items = menuItems(menuRef.current);
    const target = focusOnOpen === 'last' ? items[items.length - 1] : items[0];
    (target ?? menuRef.current)?.focus();

    const onPointerDown = (event: PointerEvent) => {
      const target = event.target;
      if (target instanceof Node && (rootRef.current?.contains(target) || menuRef.current?.contains(target)))
        return;
      setOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [open, focusOnOpen]);

  const openWith = (focus: 'first' | 'last') => {
    setFocusOnOpen(focus);
    setOpen(true);
  };

  const onTriggerKeyDown = (event: KeyboardEvent<HTMLButtonElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      openWith('first');
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      openWith('last');
    }
  };

  const onMenuKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const items = menuItems(menuRef.current);
    const active = document.activeElement;
    const index = active instanceof HTMLElement ? items.indexOf(active) : -1;
    const focusAt = (i: number) => items[(i + items.length) % items.length]?.focus();
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        focusAt(index + 1);
        break;
      case 'ArrowUp':
        event.preventDefault();
        focusAt(index < 0 ? items.length - 1 : index - 1);
        break;
      case 'Home':
        event.preventDefault();
        focusAt(0);
        break;
      case 'End':
        event.preventDefault();
        focusAt(items.length - 1);
        break;
      case 'Escape':
        event.preventDefault();
        event.stopPropagation();
        close(true);
        break;
      case 'Tab':
        // The menu lives at the end of <body>; send focus back to the trigger rather than out of the page.
        event.preventDefault();
        close(true);
        break;
      default:
        if (event.key.length === 1 && /\S/.test(event.key)) {
          // Type-ahead: jump to the next item starting with the typed letter.
          const letter = event.key.toLowerCase();
          const order = [...items.slice(index + 1), ...items.slice(0, index + 1)];
          order.find((item) => item.textContent?.trim().toLowerCase().startsWith(letter))?.focus();
        }
    }
  };

  return (
    <div ref={rootRef} className={classNames('menu-root', className)}>
      {trigger(
        {
          ref: triggerRef,
          id: triggerId,
          'aria-haspopup': 'menu',
          'aria-expanded': open,
          'aria-controls': open ? menuId : undefined,
          onClick: () => (open ? close(false) : openWith('first')),
          onKeyDown: onTriggerKeyDown,
        },
        open,
      )}
      {open
        ? createPortal(
            <MenuContext.Provider value={{ close }}>
              <div
                ref={menuRef}
                id={menuId}
                role="menu"
                aria-label={label}
                tabIndex={-1}
                className={classNames('menu', className && `${className}__menu`)}
                style={{
                  top: position?.top ?? 0,
                  left: position?.left ?? 0,
                  width: typeof width === 'number' ? width : undefined,
                  minWidth: position?.minWidth,
                  // Transparent (not hidden) until placed, so the first item can take focus at once.
                  opacity: position ? undefined : 0,
                }}
                onKeyDown={onMenuKeyDown}
              >
                {children}
              </div>
            </MenuContext.Provider>,
            document.body,
          )
        : null}
    </div>
  );
}

export interface DropdownMenuItemProps {
  onSelect: () => void;
  icon?: ReactNode;
  /** Secondary text at the right (a role, a shortcut). */
  aside?: ReactNode;
  /** Marks the current choice (e.g. the current organization) with a check. */
  checked?: boolean;
  danger?: boolean;
  disabled?: boolean;
  children: ReactNode;
}

/** One action of a menu. Selecting it closes the menu (focus returns to the opener) and then runs `onSelect`. */
export function DropdownMenuItem({
  onSelect,
  icon,
  aside,
  checked,
  danger,
  disabled,
  children,
}: DropdownMenuItemProps): ReactNode {
  const menu = useContext(MenuContext);
  const select = () => {
    if (disabled) return;
    menu?.close(true);
    onSelect();
  };
  const isChoice = checked !== undefined;
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: the role is menuitem or menuitemradio (chosen below), both interactive
    // biome-ignore lint/a11y/useAriaPropsSupportedByRole: aria-checked is set only with role="menuitemradio"
    <div
      role={isChoice ? 'menuitemradio' : 'menuitem'}
      aria-checked={isChoice ? checked : undefined}
      aria-disabled={disabled || undefined}
      tabIndex={-1}
      className={classNames('menu__item', danger && 'menu__item--danger', disabled && 'menu__item--disabled')}
      onClick={select}
      onKeyDown={(event) => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          select();
        }
      }}
      onMouseEnter={(event) => event.currentTarget.focus()}
    >
      {icon ? <span className="menu__item-icon">{icon}</span> : null}
      <span className="menu__item-label">{children}</span>
      {aside ? <span className="menu__item-aside">{aside}</span> : null}
      {isChoice ? <span className="menu__item-check">{checked ? <CheckIcon size={16} /> : null}</span> : null}
    </div>
  );
}

/** A non-interactive heading or block inside a menu (e.g. the signed-in user's name and email). */
export function DropdownMenuLabel({ children }: { children: ReactNode }): ReactNode {
  return (
    <div className="menu__label" role="presentation">
      {children}
    </div>
  );
}

export function DropdownMenuSeparator(): ReactNode {
  return <hr className="menu__separator" />;
}
