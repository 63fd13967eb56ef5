/**
 * A draggable, keyboard-operable divider between panes (WAI-ARIA window splitter).
 * `size` is the size of the pane it resizes; `invert` when that pane is after the divider.
 */
import { useRef } from 'react';

interface SplitterProps {
  label: string;
  orientation: 'horizontal' | 'vertical';
  size: number;
  min: number;
  max: number;
  /** True when dragging towards the end of the axis makes the pane smaller. */
  invert: boolean;
  onResize: (px: number) => void;
}

export function Splitter({ label, orientation, size, min, max, invert, onResize }: SplitterProps) {
  const start = useRef<{ pos: number; size: number } | null>(null);
  const axis = (e: { clientX: number; clientY: number }) => (orientation === 'vertical' ? e.clientX : e.clientY);
  const sign = invert ? -1 : 1;
  return (
    <div
      role="separator"
      aria-label={label}
      aria-orientation={orientation}
      aria-valuenow={size}
      aria-valuemin={min}
      aria-valuemax={max}
      tabIndex={0}
      className={`splitter splitter-${orientation}`}
      onPointerDown={(e) => {
        e.currentTarget.setPointerCapture(e.pointerId);
        start.current = { pos: axis(e), size };
      }}
      onPointerMove={(e) => {
        if (start.current) onResize(start.current.size + sign * (axis(e) - start.current.pos));
      }}
      onPointerUp={() => (start.current = null)}
      onKeyDown={(e) => {
        const step = e.shiftKey ? 64 : 16;
        const towardsEnd = orientation === 'vertical' ? e.key === 'ArrowRight' : e.key === 'ArrowDown';
        const towardsStart = orientation === 'vertical' ? e.key === 'ArrowLeft' : e.key === 'ArrowUp';
        if (towardsEnd || towardsStart) {
          e.preventDefault();
          onResize(size + sign * (towardsEnd ? step : -step));
        } else if (e.key === 'Home') {
          e.preventDefault();
          onResize(min);
        } else if (e.key === 'End') {
          e.preventDefault();
          onResize(max);
        }
      }}
    />
  );
}
