import * as React from 'react';

// A small windowing list for rows of varying height: only rows near the viewport are
// in the DOM. Heights start as an estimate and are replaced by measurements as rows
// render; offsets are prefix sums, found by binary search. No dependency on purpose:
// the platform supplies React and Fluent only, and anything else lands in bundle.js.

export interface VirtualListProps<T> {
  items: readonly T[];
  itemKey: (item: T, index: number) => string | number;
  renderItem: (item: T, index: number) => React.ReactNode;
  estimateHeight?: number;
  /** Pixels rendered beyond each edge of the viewport. */
  overscan?: number;
  /** Keep the newest row in view while the reader is at the bottom (chat transcripts). */
  stickToBottom?: boolean;
  ariaLabel: string;
  className?: string;
  style?: React.CSSProperties;
  /** Used when the container cannot be measured (jsdom, hidden tab). */
  fallbackViewport?: number;
}

function firstAtOrAfter(offsets: Float64Array, value: number): number {
  let lo = 0;
  let hi = offsets.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (offsets[mid + 1] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function VirtualList<T>(props: VirtualListProps<T>): React.ReactElement {
  const { items, itemKey, renderItem, estimateHeight = 64, overscan = 400, stickToBottom = false, fallbackViewport = 480 } = props;
  const scroller = React.useRef<HTMLDivElement>(null);
  const heights = React.useRef(new Map<string | number, number>());
  const [measureVersion, setMeasureVersion] = React.useState(0);
  const [scrollTop, setScrollTop] = React.useState(0);
  const [viewport, setViewport] = React.useState(fallbackViewport);
  const atBottom = React.useRef(true);

  const keys = React.useMemo(() => items.map((it, i) => itemKey(it, i)), [items, itemKey]);

  const offsets = React.useMemo(() => {
    const o = new Float64Array(keys.length + 1);
    for (let i = 0; i < keys.length; i++) o[i + 1] = o[i] + (heights.current.get(keys[i]) ?? estimateHeight);
    return o;
    // measureVersion is a dependency because heights change in place.
  }, [keys, estimateHeight, measureVersion]);
  const total = offsets[keys.length];

  const maxTop = Math.max(0, total - viewport);
  const top = stickToBottom && atBottom.current ? maxTop : Math.min(scrollTop, maxTop);
  const start = keys.length ? firstAtOrAfter(offsets, Math.max(0, top - overscan)) : 0;
  let end = start;
  const limit = top + viewport + overscan;
  while (end < keys.length && offsets[end] < limit) end++;

  React.useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    if (el.clientHeight > 0 && el.clientHeight !== viewport) setViewport(el.clientHeight);
    let changed = false;
    el.querySelectorAll<HTMLElement>('[data-vl-index]').forEach((node) => {
      const h = node.offsetHeight;
      const key = keys[Number(node.dataset.vlIndex)];
      // jsdom and display:none report 0: keep the estimate rather than collapse the row.
      if (h > 0 && key !== undefined && heights.current.get(key) !== h) {
        heights.current.set(key, h);
        changed = true;
      }
    });
    if (changed) setMeasureVersion((v) => v + 1);
    if (stickToBottom && atBottom.current && Math.abs(el.scrollTop - maxTop) > 1) el.scrollTop = maxTop;
  });

  const onScroll = (e: React.UIEvent<HTMLDivElement>) => {
    const t = e.currentTarget.scrollTop;
    atBottom.current = t >= maxTop - 8;
    setScrollTop(t);
  };

  const rows: React.ReactNode[] = [];
  for (let i = start; i < end; i++) {
    rows.push(
      <div
        key={keys[i]}
        data-vl-index={i}
        role="listitem"
        aria-posinset={i + 1}
        aria-setsize={keys.length}
        style={{ position: 'absolute', top: offsets[i], left: 0, right: 0 }}
      >
        {renderItem(items[i], i)}
      </div>,
    );
  }

  return (
    <div
      ref={scroller}
      className={props.className}
      style={{ overflowY: 'auto', position: 'relative', ...props.style }}
      onScroll={onScroll}
      tabIndex={0}
      role="list"
      aria-label={props.ariaLabel}
    >
      <div style={{ height: total, position: 'relative' }}>{rows}</div>
    </div>
  );
}
