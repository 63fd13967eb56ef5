/**
 * Dragging a block with the pointer: the body moves the base (snapped to 64 KiB), the
 * right-hand handle of a region sets its frame count (whole 128 KiB frames). A press that
 * does not move is a click at an address: it selects the block, or the frame there.
 */
import type { ScaleLinear } from 'd3';
import { useRef, type PointerEvent, type RefObject } from 'react';

/** What a drag reports, in addresses. */
export interface DragHandlers {
  /** The body moved: the new unsnapped base. */
  onMove: (base: number) => void;
  /** The handle moved: the new unsnapped end of the region. */
  onResize: (end: number) => void;
  /** A press without movement, at this address. */
  onClick: (addr: number) => void;
}

interface Drag {
  pointer: number;
  mode: 'move' | 'resize';
  x0: number;
  base0: number;
  end0: number;
  moved: boolean;
  /** The address under the press. */
  at: number;
}

/** Pointer handlers for one block whose extent is [base, end). */
export function useBlockDrag(
  scale: ScaleLinear<number, number>,
  base: number,
  end: number,
  editable: boolean,
  h: DragHandlers,
  focusTarget: RefObject<SVGGElement | null>,
) {
  const drag = useRef<Drag | null>(null);
  const addrAt = (x: number) => scale.invert(x);

  const onPointerDown = (e: PointerEvent<SVGGElement>) => {
    if (e.button !== 0) return;
    const target = e.target as Element;
    // The block's own coordinates are the plot's, where `scale` applies.
    const ctm = e.currentTarget.getScreenCTM();
    const at = ctm ? scale.invert((e.clientX - ctm.e) / ctm.a) : base;
    drag.current = {
      pointer: e.pointerId,
      mode: target.closest('[data-handle="resize"]') ? 'resize' : 'move',
      x0: e.clientX,
      base0: base,
      end0: end,
      moved: false,
      at,
    };
    e.currentTarget.setPointerCapture(e.pointerId);
    focusTarget.current?.focus({ preventScroll: true });
    e.preventDefault();
  };

  const onPointerMove = (e: PointerEvent<SVGGElement>) => {
    const d = drag.current;
    if (!d || d.pointer !== e.pointerId) return;
    if (!d.moved && Math.abs(e.clientX - d.x0) < 3) return;
    d.moved = true;
    if (!editable) return;
    // Only a difference of x is used, so client coordinates do as well as the plot's.
    const delta = addrAt(e.clientX) - addrAt(d.x0);
    if (d.mode === 'move') h.onMove(d.base0 + delta);
    else h.onResize(d.end0 + delta);
  };

  const onPointerUp = (e: PointerEvent<SVGGElement>) => {
    const d = drag.current;
    if (!d || d.pointer !== e.pointerId) return;
    drag.current = null;
    if (e.currentTarget.hasPointerCapture(e.pointerId)) e.currentTarget.releasePointerCapture(e.pointerId);
    if (!d.moved) h.onClick(d.at);
  };

  return { onPointerDown, onPointerMove, onPointerUp, onPointerCancel: onPointerUp };
}
