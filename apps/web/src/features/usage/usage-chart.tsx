import {
  type KeyboardEvent,
  type MouseEvent,
  type ReactNode,
  type RefObject,
  useEffect,
  useId,
  useRef,
  useState,
} from 'react';
import { formatCount } from '../../lib/format';
import { bucketLabel, timeAxisLabels, valueAxis } from './chart-scale';
import type { KeySeries } from './usage-types';

const HEIGHT = 232;
const MARGIN = { top: 14, right: 8, bottom: 28, left: 44 };
/** The least room one time label needs, in pixels. */
const LABEL_SPACING = 52;

/** Tracks an element's width, so the SVG is drawn at its real size (crisp bars, unscaled text). */
function useWidth<T extends HTMLElement>(): [RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    setWidth(element.clientWidth);
    const observer = new ResizeObserver((entries) => {
      const entry = entries[0];
      if (entry) setWidth(Math.round(entry.contentRect.width));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

const RANGE_WORDS: Record<KeySeries['range'], string> = {
  '24h': 'the last 24 hours',
  '7d': 'the last 7 days',
  '30d': 'the last 30 days',
};

/**
 * Admitted (indigo) and refused (red) requests per bucket as stacked bars, drawn in SVG: a
 * value axis with whole-number ticks, time labels, and a tooltip with the exact counts on
 * hover or with the arrow keys once the chart has focus.
 */
export function UsageChart({ series }: { series: KeySeries }): ReactNode {
  const [containerRef, width] = useWidth<HTMLDivElement>();
  const [active, setActive] = useState<number | null>(null);
  const tooltipId = useId();
  const points = series.points;
  const peak = points.reduce((max, p) => Math.max(max, p.admitted + p.refused), 0);
  const axis = valueAxis(peak);
  const empty = series.totals.admitted + series.totals.refused === 0;

  const innerWidth = Math.max(0, width - MARGIN.left - MARGIN.right);
  const innerHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const band = points.length > 0 ? innerWidth / points.length : 0;
  const gap = band > 12 ? band * 0.28 : band > 4 ? 1.5 : band > 2 ? 1 : 0;
  const barWidth = Math.max(1, band - gap);
  const y = (value: number) => MARGIN.top + innerHeight - (value / axis.max) * innerHeight;
  // On narrow charts, thin the time labels so they never run into each other.
  const labels = timeAxisLabels(
    points.map((p) => p.start),
    series.bucket,
  ).filter((_label, index, all) => {
    const step =
      all.length > 1 ? ((all[1]?.index ?? 0) - (all[0]?.index ?? 0)) * band : Number.POSITIVE_INFINITY;
    const every = Math.max(1, Math.ceil(LABEL_SPACING / Math.max(step, 1)));
    return (all.length - 1 - index) % every === 0;
  });

  const activePoint = active === null ? undefined : points[active];
  const activeCenter = active === null ? 0 : MARGIN.left + band * active + band / 2;

  // One handler on the whole plot (not a target per bar): the bucket under the pointer, if any.
  const onMouseMove = (event: MouseEvent<SVGSVGElement>) => {
    const x = event.clientX - event.currentTarget.getBoundingClientRect().left - MARGIN.left;
    const index = band > 0 ? Math.floor(x / band) : -1;
    setActive(index >= 0 && index < points.length ? index : null);
  };

  const onKeyDown = (event: KeyboardEvent<SVGSVGElement>) => {
    const last = points.length - 1;
    const current = active ?? last;
    let next: number | null = current;
    if (event.key === 'ArrowLeft') next = Math.max(0, current - 1);
    else if (event.key === 'ArrowRight') next = Math.min(last, current + 1);
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = last;
    else if (event.key === 'Escape') next = null;
    else return;
    event.preventDefault();
    setActive(next);
  };

  const summary = empty
    ? `No requests in ${RANGE_WORDS[series.range]}.`
    : `${formatCount(series.totals.admitted)} admitted and ${formatCount(series.totals.refused)} refused requests in ${RANGE_WORDS[series.range]}, per ${series.bucket}. Use the arrow keys to read each ${series.bucket}.`;

  return (
    <div className="usage-chart" ref={containerRef}>
      {width > 0 ? (
        <svg
          width={width}
          height={HEIGHT}
          className="usage-chart__svg"
          role="img"
          aria-label={summary}
          aria-describedby={activePoint ? tooltipId : undefined}
          // biome-ignore lint/a11y/noNoninteractiveTabindex: focus lets keyboard users step through the buckets with the arrow keys
          tabIndex={0}
          onKeyDown={onKeyDown}
          onBlur={() => setActive(null)}
          onMouseMove={onMouseMove}
          onMouseLeave={() => setActive(null)}
        >
          <g className="usage-chart__grid">
            {axis.ticks.map((tick) => (
              <g key={tick}>
                <line x1={MARGIN.left} x2={width - MARGIN.right} y1={y(tick)} y2={y(tick)} />
                {empty ? null : (
                  <text x={MARGIN.left - 8} y={y(tick)} dy="0.32em" textAnchor="end">
                    {formatCount(tick)}
                  </text>
                )}
              </g>
            ))}
          </g>
          {activePoint ? (
            <rect
              className="usage-chart__highlight"
              x={MARGIN.left + band * (active ?? 0)}
              y={MARGIN.top}
              width={band}
              height={innerHeight}
            />
          ) : null}
          <g>
            {points.map((point, index) => {
              const x = MARGIN.left + band * index + (band - barWidth) / 2;
              const admittedTop = y(point.admitted);
              const total = y(point.admitted + point.refused);
              const faded = active !== null && active !== index;
              return (
                <g key={point.start} className={faded ? 'usage-chart__bar is-faded' : 'usage-chart__bar'}>
                  {point.admitted > 0 ? (
                    <rect
                      className="usage-chart__admitted"
                      x={x}
                      y={admittedTop}
                      width={barWidth}
                      height={MARGIN.top + innerHeight - admittedTop}
                    />
                  ) : null}
                  {point.refused > 0 ? (
                    <rect
                      className="usage-chart__refused"
                      x={x}
                      y={total}
                      width={barWidth}
                      height={admittedTop - total}
                    />
                  ) : null}
                </g>
              );
            })}
          </g>
          <line
            className="usage-chart__baseline"
            x1={MARGIN.left}
            x2={width - MARGIN.right}
            y1={MARGIN.top + innerHeight}
            y2={MARGIN.top + innerHeight}
          />
          <g className="usage-chart__axis">
            {labels.map((label) => (
              <text
                key={label.index}
                x={MARGIN.left + band * label.index + band / 2}
                y={HEIGHT - 8}
                textAnchor="middle"
              >
                {label.label}
              </text>
            ))}
          </g>
        </svg>
      ) : (
        <div style={{ height: HEIGHT }} />
      )}
      {empty ? (
        <div className="usage-chart__empty">
          <p className="usage-chart__empty-title">No requests in {RANGE_WORDS[series.range]}</p>
          <p className="usage-chart__empty-text">
            Calls made with this key, admitted or refused, are counted here within a few seconds.
          </p>
        </div>
      ) : null}
      {activePoint ? (
        <div
          className="usage-chart__tooltip"
          id={tooltipId}
          role="status"
          // Beside the bar, on the side with room, so it never hides the bar it describes.
          data-side={activeCenter > width / 2 ? 'left' : 'right'}
          style={
            activeCenter > width / 2
              ? { right: width - (activeCenter - band / 2) + 8 }
              : { left: activeCenter + band / 2 + 8 }
          }
        >
          <p className="usage-chart__tooltip-title">{bucketLabel(activePoint.start, series.bucket)}</p>
          <dl>
            <div>
              <dt>
                <span className="legend-swatch legend-swatch--admitted" aria-hidden="true" /> Admitted
              </dt>
              <dd>{formatCount(activePoint.admitted)}</dd>
            </div>
            <div>
              <dt>
                <span className="legend-swatch legend-swatch--refused" aria-hidden="true" /> Refused
              </dt>
              <dd>{formatCount(activePoint.refused)}</dd>
            </div>
            <div className="usage-chart__tooltip-credits">
              <dt>Credits charged</dt>
              <dd>{formatCount(activePoint.credits)}</dd>
            </div>
          </dl>
        </div>
      ) : null}
    </div>
  );
}
