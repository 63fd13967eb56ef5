/**
 * The frames as a table: the text form of the drawing (vCPU, frame, region and slot,
 * GICR_TYPER with Processor_Number, affinity and Last), sorted by address.
 */
import { useController } from '../../components/controller-context';
import { useLab } from '../../state/store';
import { useShown } from './use-shown';

export function FramesTable() {
  const ctl = useController();
  const { evaluation: e } = useShown();
  const selectedVcpu = useLab((s) => s.vgic.selectedVcpu);
  if (!e?.frames.length) return <p className="empty">No redistributor frame is placed.</p>;
  return (
    <table className="vgic-table" data-testid="vgic-frames">
      <caption className="visually-hidden">Redistributor frames by address, with each vCPU’s GICR_TYPER</caption>
      <thead>
        <tr>
          <th scope="col">vCPU</th>
          <th scope="col">Frame</th>
          <th scope="col">Region</th>
          <th scope="col">Slot</th>
          <th scope="col">GICR_TYPER</th>
          <th scope="col">Processor_Number</th>
          <th scope="col">Affinity</th>
          <th scope="col">Last</th>
        </tr>
      </thead>
      <tbody>
        {e.frames.map((f) => (
          <tr key={f.vcpuId} className={f.vcpuId === selectedVcpu ? 'current' : undefined} data-vcpu={f.vcpuId}>
            <td>
              <button
                type="button"
                className="link-button"
                onClick={() => ctl.vgic.selectVcpu(f.vcpuId)}
                aria-label={`Inspect vCPU ${f.vcpuId}`}
              >
                {f.vcpuId}
              </button>
            </td>
            <td className="mono">{f.base}</td>
            <td>{f.legacy ? 'legacy' : `idx ${f.regionIndex}`}</td>
            <td>{f.slot}</td>
            <td className="mono">{f.typer?.raw ?? '—'}</td>
            <td>{f.typer?.processorNumber ?? '—'}</td>
            <td className="mono">
              {f.typer ? `${f.typer.aff.aff3}.${f.typer.aff.aff2}.${f.typer.aff.aff1}.${f.typer.aff.aff0}` : '—'}
            </td>
            <td data-testid="vgic-last-cell">{f.typer ? (f.typer.last ? '1' : '0') : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
