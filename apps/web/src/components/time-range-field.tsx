import type { ReactNode } from 'react';
import {
  isoToLocalInput,
  resolveTimeRange,
  TIME_RANGE_LABEL,
  type TimeRange,
  type TimeRangePreset,
  timeRange,
} from '../lib/time-range';
import { AlertCircleIcon } from './icons';
import { Select } from './select';

export interface TimeRangeFieldProps {
  value: TimeRange;
  onChange: (range: TimeRange) => void;
  presets: readonly TimeRangePreset[];
}

/**
 * A toolbar time-range filter: a preset, or (with "Custom range…") two local date-time inputs.
 * Choosing a preset anchors it now; see lib/time-range.
 */
export function TimeRangeField({ value, onChange, presets }: TimeRangeFieldProps): ReactNode {
  const resolved = resolveTimeRange(value);
  const choose = (preset: TimeRangePreset) => {
    const now = Date.now();
    if (preset !== 'custom') {
      onChange(timeRange(preset, now));
      return;
    }
    // Start the custom range from what was shown, so switching does not jump.
    const current = resolveTimeRange(value);
    const from =
      current.ok && current.bounds.from ? current.bounds.from : new Date(now - 86_400_000).toISOString();
    onChange({ preset, anchor: now, customFrom: isoToLocalInput(from), customTo: '' });
  };
  return (
    <div className="time-range-field">
      <Select
        label="Time range"
        hideLabel
        value={value.preset}
        onChange={(event) => choose(event.target.value as TimeRangePreset)}
        options={presets.map((preset) => ({ value: preset, label: TIME_RANGE_LABEL[preset] }))}
        fieldClassName="toolbar-select"
      />
      {value.preset === 'custom' ? (
        <span className="time-range-field__custom">
          <label className="time-range-field__input">
            <span className="sr-only">From</span>
            <input
              type="datetime-local"
              value={value.customFrom}
              aria-invalid={!resolved.ok || undefined}
              onChange={(event) => onChange({ ...value, customFrom: event.target.value })}
            />
          </label>
          <span className="time-range-field__sep" aria-hidden="true">
            →
          </span>
          <label className="time-range-field__input">
            <span className="sr-only">To</span>
            <input
              type="datetime-local"
              value={value.customTo}
              aria-invalid={!resolved.ok || undefined}
              onChange={(event) => onChange({ ...value, customTo: event.target.value })}
            />
          </label>
          {!resolved.ok ? (
            <span className="time-range-field__error" role="alert">
              <AlertCircleIcon size={14} /> {resolved.error}
            </span>
          ) : null}
        </span>
      ) : null}
    </div>
  );
}
