/**
 * The inspector of one vCPU's redistributor frame: where it is, the region and slot,
 * its GICR_TYPER field by field (reference §7) and why Last is what it is.
 */
import type { LayoutEvaluation, LayoutFrame } from '../../../workers/api/types';
import { lastReason } from './model/frames';

export function FrameInspector({ frame: f, evaluation }: { frame: LayoutFrame; evaluation: LayoutEvaluation }) {
  const t = f.typer;
  return (
    <section aria-labelledby="vgic-frame-title">
      <h3 id="vgic-frame-title">vCPU {f.vcpuId}: redistributor frame</h3>
      <dl>
        <dt>Frame</dt>
        <dd>
          {f.base} – {f.end}
        </dd>
        <dt>Region</dt>
        <dd>
          {f.legacy ? 'legacy REDIST' : `idx ${f.regionIndex}`}, slot {f.slot}
        </dd>
        {t && (
          <>
            <dt>GICR_TYPER</dt>
            <dd data-testid="vgic-typer">{t.raw}</dd>
            <dt>Processor_Number</dt>
            <dd>{t.processorNumber}</dd>
            <dt>Affinity_Value</dt>
            <dd>
              {t.affinity} (Aff3.Aff2.Aff1.Aff0 = {t.aff.aff3}.{t.aff.aff2}.{t.aff.aff1}.{t.aff.aff0})
            </dd>
            <dt>Last</dt>
            <dd data-testid="vgic-last">{t.last ? '1' : '0'}</dd>
            <dt>PLPIS</dt>
            <dd>{t.plpis ? '1 (an ITS exists)' : '0'}</dd>
          </>
        )}
      </dl>
      <p className="summary">{lastReason(f, evaluation)}</p>
    </section>
  );
}
