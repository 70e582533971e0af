import { AVATAR_PALETTE } from '@keysmith/domain';
import type { ReactNode } from 'react';
import { CheckIcon } from '../../components/icons';
import { classNames } from '../../lib/class-names';
import { PALETTE_NAMES } from './space-form';

/**
 * The logo colour: one of the palette's eight colours (each keeps white initials readable),
 * as a row of swatches that behave like radio buttons.
 */
export function ColorPicker({
  value,
  onChange,
  disabled,
  name,
}: {
  value: string;
  onChange: (color: string) => void;
  disabled?: boolean;
  name: string;
}): ReactNode {
  const current = value.toUpperCase();
  return (
    <fieldset className="color-picker" disabled={disabled}>
      <legend className="field__label">Logo colour</legend>
      <div className="color-picker__swatches">
        {AVATAR_PALETTE.map((color) => {
          const checked = color === current;
          return (
            <label
              key={color}
              className={classNames('color-swatch', checked && 'color-swatch--checked')}
              style={{ backgroundColor: color }}
              title={PALETTE_NAMES[color]}
            >
              <input
                type="radio"
                name={name}
                value={color}
                checked={checked}
                onChange={() => onChange(color)}
                className="sr-only"
                aria-label={PALETTE_NAMES[color]}
              />
              {checked ? <CheckIcon size={14} /> : null}
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}
