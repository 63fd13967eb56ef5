/**
 * The guest-physical address space drawn to scale with d3: a hex axis, one row per
 * block, zoomable (wheel, buttons, d3-zoom) from the whole IPA range down to single
 * 64 KiB frames. Blocks are dragged and resized with the pointer and edited by keyboard;
 * a text summary describes the drawing for screen readers.
 */
import { axisTop, select } from 'd3';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { useController } from '../../components/controller-context';
import { useLab } from '../../state/store';
import { SZ_64K, formatSize, snap } from './model/addr';
import { layoutBlocks, type BlockId } from './model/blocks';
import { moveBlock, resizeRegionTo } from './model/edit';
import { framesByBlock } from './model/frames';
import { blockKeyEdit } from './model/keys';
import { layoutSummary } from './model/summary';
import { hexTicks, tickLabel } from './model/ticks';
import { Backdrop } from './Backdrop';
import { BlockRow, ROW } from './BlockRow';
import { RowLabels } from './RowLabels';
import { useAddressZoom } from './use-address-zoom';
import { useShown } from './use-shown';

const GUTTER = 140;
const RIGHT = 14;

/** The width of a container, followed with a ResizeObserver. */
function useWidth(ref: RefObject<HTMLDivElement | null>): number {
  const [w, setW] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setW(el.clientWidth));
    ro.observe(el);
    setW(el.clientWidth);
    return () => ro.disconnect();
  }, [ref]);
  return w;
}

export function AddressSpace() {
  const ctl = useController();
  const shown = useShown();
  const selected = useLab((s) => s.vgic.selected);
  const selectedVcpu = useLab((s) => s.vgic.selectedVcpu);
  const fitRequest = useLab((s) => s.vgic.fitRequest);
  const zoomRequest = useLab((s) => s.vgic.zoomRequest);
  const scroller = useRef<HTMLDivElement>(null);
  const plot = useRef<SVGGElement>(null);
  const axis = useRef<SVGGElement>(null);
  const width = useWidth(scroller);
  const plotWidth = Math.max(0, width - GUTTER - RIGHT);
  const rows = Math.max(1, shown.blocks.length);
  const height = ROW.axis + rows * ROW.height + 8;
  // The axis runs a little past the IPA top so that a block beyond it can be seen and dragged back.
  const domainEnd = Number(shown.ipaSize) * 1.125;
  const { scale, zoomTo, zoomBy } = useAddressZoom(plot, plotWidth, height, domainEnd);
  const editable = shown.mode === 'edit';
  const frames = useMemo(() => framesByBlock(shown.blocks, shown.evaluation), [shown.blocks, shown.evaluation]);

  const extent = useMemo(() => {
    if (!shown.blocks.length) return null;
    const lo = shown.blocks.reduce((m, b) => Math.min(m, Number(b.base)), Infinity);
    const hi = shown.blocks.reduce((m, b) => Math.max(m, Number(b.base + b.size)), 0);
    return { lo, hi };
  }, [shown.blocks]);
  const fit = () => {
    if (!extent) return zoomTo(0, domainEnd);
    const pad = Math.max((extent.hi - extent.lo) * 0.08, 2 * Number(SZ_64K));
    zoomTo(extent.lo - pad, extent.hi + pad);
  };
  const fitRef = useRef(fit);
  fitRef.current = fit;
  // Fit on request (preset, file, URL, script) once the plot has a width; while a script
  // plays, fit again whenever its blocks change.
  const scriptKey = shown.mode === 'script' ? `${extent?.lo}-${extent?.hi}` : '';
  const hasWidth = plotWidth > 0;
  useEffect(() => {
    if (hasWidth) fitRef.current();
  }, [fitRequest, hasWidth, scriptKey, domainEnd]);
  useEffect(() => {
    if (zoomRequest) zoomTo(zoomRequest.start, zoomRequest.end);
  }, [zoomRequest, zoomTo]);

  const [d0, d1] = scale.domain();
  useEffect(() => {
    ctl.vgic.reportViewRange(d0, d1);
  }, [ctl, d0, d1]);
  useEffect(() => {
    if (axis.current)
      select(axis.current).call(
        axisTop(scale)
          .tickValues(hexTicks(d0, d1, Math.max(2, Math.floor(plotWidth / 120))))
          .tickFormat((v) => tickLabel(Number(v))),
      );
  }, [scale, d0, d1, plotWidth]);

  // Keep the keyboard focus on the selected block when a key renames it (reorder) or removes it.
  useEffect(() => {
    const svg = plot.current?.ownerSVGElement;
    if (!svg || !svg.contains(document.activeElement)) return;
    const el = svg.querySelector<SVGGElement>(selected ? `[data-block-id="${selected}"]` : '[data-block-id]');
    if (el && el !== document.activeElement) el.focus({ preventScroll: true });
  }, [selected, shown.blocks]);

  const onKey = (id: BlockId) => (e: KeyboardEvent<SVGGElement>) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    // Space and Enter select the block; neither they nor the editing keys reach the
    // app's transport shortcuts, even while a script is shown read-only.
    if (e.key === ' ' || e.key === 'Enter') {
      e.preventDefault();
      e.stopPropagation();
      ctl.vgic.select(id);
      return;
    }
    const edit = blockKeyEdit(shown.layout, id, e.key, e.shiftKey);
    if (!edit) return;
    e.preventDefault();
    e.stopPropagation();
    if (!editable) return;
    void ctl.vgic.setLayout(edit.layout, { selected: edit.selected });
    // Keep a block moved by the keyboard in view: pan by as much as it left it.
    const moved = layoutBlocks(edit.layout).find((b) => b.id === edit.selected);
    if (!moved) return;
    const lo = Number(moved.base);
    const hi = Number(moved.base + moved.size);
    const shift = lo < d0 ? lo - d0 : hi > d1 && hi - lo < d1 - d0 ? hi - d1 : 0;
    if (shift) zoomTo(d0 + shift, d1 + shift);
  };

  const summary = layoutSummary(shown.blocks, shown.evaluation, shown.ipaSize);
  return (
    <div className="vgic-space">
      <div className="vgic-zoom" role="toolbar" aria-label="Zoom the address space">
        <button type="button" onClick={fit}>
          Fit layout
        </button>
        <button type="button" onClick={() => zoomTo(0, domainEnd)}>
          Whole IPA
        </button>
        <button type="button" onClick={() => zoomBy(2)} aria-label="Zoom in">
          +
        </button>
        <button type="button" onClick={() => zoomBy(0.5)} aria-label="Zoom out">
          −
        </button>
        <span className="range" data-testid="vgic-range">
          {tickLabel(Math.max(0, d0))} – {tickLabel(d1)} ({formatSize(d1 - d0)})
        </span>
      </div>
      <div className="vgic-space-scroll" ref={scroller}>
        <svg
          width={width}
          height={height}
          role="group"
          aria-label="Guest physical address space"
          aria-describedby="vgic-summary"
          data-testid="vgic-svg"
          data-plot-x={GUTTER}
          data-plot-width={plotWidth}
          data-domain-start={d0}
          data-domain-end={d1}
        >
          <defs>
            <clipPath id="vgic-plot-clip">
              <rect x={-4} y={0} width={plotWidth + 8} height={height} />
            </clipPath>
          </defs>
          <g ref={axis} className="axis" transform={`translate(${GUTTER},${ROW.axis - 4})`} aria-hidden="true" />
          <g ref={plot} transform={`translate(${GUTTER},0)`}>
            <rect className="zoom-surface" x={0} y={0} width={plotWidth} height={height} aria-hidden="true" />
            <g clipPath="url(#vgic-plot-clip)">
              <Backdrop
                rows={rows}
                scale={scale}
                plotWidth={plotWidth}
                height={height}
                ipaSize={shown.ipaSize}
                overlaps={shown.overlaps}
              />
              {shown.blocks.length > 0 && (
                <g role="listbox" aria-label={editable ? 'Blocks of the layout' : 'Blocks built by the script'}>
                  {shown.blocks.map((b, row) => (
                    <BlockRow
                      key={b.id}
                      block={b}
                      row={row}
                      scale={scale}
                      plotWidth={plotWidth}
                      frames={frames.get(b.id)}
                      failures={shown.marks.get(b.id)}
                      selected={selected === b.id}
                      selectedVcpu={selectedVcpu}
                      editable={editable}
                      onKey={onKey(b.id)}
                      onFocus={() => selected !== b.id && ctl.vgic.select(b.id)}
                      onMove={(base) =>
                        void ctl.vgic.edit((l) => moveBlock(l, b.id, snap(BigInt(Math.round(Math.max(0, base))))), b.id)
                      }
                      onResize={(end) =>
                        void ctl.vgic.edit(
                          (l) => resizeRegionTo(l, b.pos ?? 0, BigInt(Math.round(Math.max(0, end)))),
                          b.id,
                        )
                      }
                      onPick={(vcpu) => {
                        ctl.vgic.select(b.id);
                        if (vcpu !== undefined) ctl.vgic.selectVcpu(vcpu);
                      }}
                    />
                  ))}
                </g>
              )}
            </g>
          </g>
          <RowLabels blocks={shown.blocks} marks={shown.marks} />
          {!shown.blocks.length && (
            <text className="row-sub" x={GUTTER + 12} y={ROW.axis + 36} aria-hidden="true">
              No blocks yet: add a distributor and redistributor regions.
            </text>
          )}
        </svg>
      </div>
      <p id="vgic-summary" className="visually-hidden" data-testid="vgic-summary">
        {summary}
      </p>
    </div>
  );
}
