/**
 * d3-zoom on the address axis: the x scale maps guest-physical addresses to pixels and
 * zooms from the whole IPA range down to a couple of 64 KiB frames. The zoom listens on
 * the plot group; a pointer that starts on a block is left to the block (drag), wheel
 * zoom works everywhere. `zoomTo` shows a given address range.
 */
import { scaleLinear, select, zoom, zoomIdentity, type ScaleLinear, type ZoomBehavior, type ZoomTransform } from 'd3';
import { useCallback, useEffect, useMemo, useRef, useState, type RefObject } from 'react';

/** The smallest range the view shows: two 64 KiB frames. */
const MIN_SPAN = 0x20000;

export interface AddressZoom {
  /** Address → x in the plot. */
  scale: ScaleLinear<number, number>;
  /** Shows [start, end) (clamped to the domain). */
  zoomTo: (start: number, end: number) => void;
  /** Zooms by `factor` around the centre (2 = in, 0.5 = out). */
  zoomBy: (factor: number) => void;
}

export function useAddressZoom(
  plot: RefObject<SVGGElement | null>,
  width: number,
  height: number,
  domainEnd: number,
): AddressZoom {
  const [transform, setTransform] = useState<ZoomTransform>(zoomIdentity);
  const behaviour = useRef<ZoomBehavior<SVGGElement, unknown> | null>(null);
  const base = useMemo(
    () =>
      scaleLinear()
        .domain([0, domainEnd])
        .range([0, Math.max(1, width)]),
    [domainEnd, width],
  );

  useEffect(() => {
    const g = plot.current;
    if (!g || width <= 0) return;
    const z = zoom<SVGGElement, unknown>()
      .scaleExtent([1, Math.max(1, domainEnd / MIN_SPAN)])
      .extent([
        [0, 0],
        [width, Math.max(1, height)],
      ])
      .translateExtent([
        [0, -Infinity],
        [width, Infinity],
      ])
      .filter((event: Event) => {
        const e = event as MouseEvent;
        if (event.type === 'wheel') return true;
        if (e.button || e.ctrlKey) return false;
        return !(event.target instanceof Element && event.target.closest('.vgic-block'));
      })
      .on('zoom', (event: { transform: ZoomTransform }) => setTransform(event.transform));
    behaviour.current = z;
    select(g).call(z).on('dblclick.zoom', null);
    return () => {
      select(g).on('.zoom', null);
    };
  }, [plot, width, height, domainEnd]);

  const scale = useMemo(() => transform.rescaleX(base), [transform, base]);

  const zoomTo = useCallback(
    (start: number, end: number) => {
      const g = plot.current;
      const z = behaviour.current;
      if (!g || !z || width <= 0) return;
      const s = Math.max(0, Math.min(start, domainEnd - MIN_SPAN));
      const e = Math.min(domainEnd, Math.max(end, s + MIN_SPAN));
      const k = domainEnd / (e - s);
      const t = zoomIdentity.scale(k).translate(-base(s), 0);
      select(g).call((sel) => z.transform(sel, t));
    },
    [plot, base, domainEnd, width],
  );

  const zoomBy = useCallback(
    (factor: number) => {
      const g = plot.current;
      const z = behaviour.current;
      if (g && z) select(g).call((sel) => z.scaleBy(sel, factor, [width / 2, 0]));
    },
    [plot, width],
  );

  return { scale, zoomTo, zoomBy };
}
