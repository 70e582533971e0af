import { type ReactNode, useEffect, useRef, useState } from 'react';
import { classNames } from '../lib/class-names';
import { buttonClassName } from './button';
import { CheckIcon, CopyIcon } from './icons';
import { Tooltip } from './tooltip';

/** Copies with the async Clipboard API, falling back to a hidden textarea on insecure origins. */
export async function copyToClipboard(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  if (!ok) throw new Error('Copy failed');
}

export interface CopyButtonProps {
  value: string;
  /** What is copied, for the accessible name: "Copy API key". */
  label?: string;
  /** Show a text label next to the icon ("Copy"). */
  showText?: boolean;
  variant?: 'ghost' | 'secondary';
  size?: 'sm' | 'md';
  className?: string;
}

/** Copies `value` and confirms with a check mark and "Copied" for two seconds. */
export function CopyButton({
  value,
  label = 'Copy to clipboard',
  showText = false,
  variant = 'ghost',
  size = 'sm',
  className,
}: CopyButtonProps): ReactNode {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);

  const copy = async () => {
    try {
      await copyToClipboard(value);
      setState('copied');
    } catch {
      setState('failed');
    }
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => setState('idle'), 2000);
  };

  const feedback = state === 'copied' ? 'Copied' : state === 'failed' ? 'Press Ctrl+C to copy' : label;
  return (
    <Tooltip content={feedback}>
      <button
        type="button"
        className={buttonClassName(
          { variant, size },
          classNames(!showText && 'btn--icon', 'copy-button', className),
        )}
        onClick={copy}
        aria-label={label}
        data-state={state}
      >
        {state === 'copied' ? <CheckIcon size={14} /> : <CopyIcon size={14} />}
        {showText ? <span className="btn__label">{state === 'copied' ? 'Copied' : 'Copy'}</span> : null}
        <span className="sr-only" aria-live="polite">
          {state === 'copied' ? 'Copied to clipboard' : ''}
        </span>
      </button>
    </Tooltip>
  );
}
