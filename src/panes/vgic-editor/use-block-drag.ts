/**
 * Dragging a block with the pointer: the body moves the base (snapped to 64 KiB), the
 * right-hand handle of a region sets its frame count (whole 128 KiB frames). A press that
 * does not move is a click: it selects the block, or the frame under the pointer.
 */
import type { ScaleLinear } from 'd3';
import { useRef, type PointerEvent } from 'react';

/** What a drag reports, in addresses. */
export interface DragHandlers {
  /** The body moved: the new unsnapped base. */
  onMove: (base: number) => void;
  /** The handle moved: the new unsnapped end of the region. */
  onResize: (end: number) => void;
  /** A press without movement, with the vCPU of the frame under it (if any). */
  onClick: (vcpu: number | undefined) => void;
}

interface Drag {
  pointer: number;
  mode: 'move' | 'resize';
  x0: number;
  base0: number;
  end0: number;
  moved: boolean;
  vcpu: number | undefined;
}

/** Pointer handlers for one block whose extent is [base, end). */
export function useBlockDrag(scale: ScaleLinear<number, number>, base: number, end: number, editable: boolean, h: DragHandlers) {
  const drag = useRef<Drag | null>(null);
  const addrAt = (x: number) => scale.invert(x);

  const onPointerDown = (e: PointerEvent<SVGGElement>) => {
    if (e.button !== 0) return;
    const target = e.target as Element;
    const vcpu = target.closest('[data-vcpu]')?.getAttribute('data-vcpu');
    drag.current = {
      pointer: e.pointerId,
      mode: target.closest('[data-handle="resize"]') ? 'resize' : 'move',
      x0: e.clientX,
      base0: base,
      end0: end,
      moved: false,
      vcpu: vcpu == null ? undefined : Number(vcpu),
    };
    e.currentTarget.setPointerCapture(e.pointerId);
    e.currentTarget.focus({ preventScroll: true });
    e.preventDefault();
  };

  const onPointerMove = (e: PointerEvent<SVGGElement>) => {
    const d = drag.current;
    if (!d || d.pointer !== e.pointerId) return;
    if (!d.moved && Math.abs(e.clientX - d.x0) < 3) return;
    d.moved = true;
    if (!editable) return;
    const delta = addrAt(e.clientX) - addrAt(d.x0);
    if (d.mode === 'move') h.onMove(d.base0 + delta);
    else h.onResize(d.end0 + delta);
  };

  const onPointerUp = (e: PointerEvent<SVGGElement>) => {
    const d = drag.current;
    if (!d || d.pointer !== e.pointerId) return;
    drag.current = null;
    if (e.currentTarget.hasPointerCapture(e.pointerId)) e.currentTarget.releasePointerCapture(e.pointerId);
    if (!d.moved) h.onClick(d.vcpu);
  };

  return { onPointerDown, onPointerMove, onPointerUp, onPointerCancel: onPointerUp };
}
