/**
 * The layout under the three kernel profiles side by side (5.12 before the v6 series,
 * 5.13 after it, 5.16 with the IPA-range checks): the verdict and the vCPUs with Last,
 * differences from the selected profile marked; then the modelled kernel changes.
 */
import type { KernelProfile, VgicProfileVerdict } from '../../../workers/api/types';
import { useController } from '../../components/controller-context';
import { useLab } from '../../state/store';
import { errnoLabel, phaseLabel } from './model/marks';
import { vcpuList } from './model/summary';

const verdict = (v: VgicProfileVerdict) =>
  v.error
    ? `cannot be read: ${v.error}`
    : v.ok
      ? 'runs (KVM_RUN returns 0)'
      : `${errnoLabel(v.failures[0])} at ${phaseLabel(v.failures[0])}`;
const lastOf = (v: VgicProfileVerdict) => vcpuList(v.frames.filter((f) => f.last).map((f) => f.vcpuId));

export function ProfilesPanel() {
  const ctl = useController();
  const profiles = useLab((s) => s.vgic.profiles);
  const current = useLab((s) => s.vgic.layout.profile);
  const fixes = useLab((s) => s.vgic.catalog?.fixes) ?? [];
  const scripting = useLab((s) => s.vgic.player !== null);
  const mine = profiles?.find((p) => p.profile === current);
  const use = (p: KernelProfile) => void ctl.vgic.edit((l) => ({ ...l, profile: p }));
  return (
    <div>
      {!profiles || !mine ? (
        <p className="empty">Comparing the kernel profiles…</p>
      ) : (
        <table className="vgic-table" data-testid="vgic-profiles">
          <caption className="visually-hidden">The layout under each kernel profile</caption>
          <thead>
            <tr>
              <th scope="col">Kernel</th>
              <th scope="col">Verdict</th>
              <th scope="col">Last on vCPU</th>
              <th scope="col">
                <span className="visually-hidden">Switch</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {profiles.map((v) => {
              const dv = verdict(v) !== verdict(mine);
              const dl = lastOf(v) !== lastOf(mine);
              return (
                <tr key={v.profile} className={v.profile === current ? 'current' : undefined} data-profile={v.profile}>
                  <th scope="row">{v.profile}</th>
                  <td className={dv ? 'vgic-diff wrap' : 'wrap'}>{verdict(v)}</td>
                  <td className={dl ? 'vgic-diff' : undefined}>{lastOf(v)}</td>
                  <td>
                    {v.profile !== current && !scripting && (
                      <button type="button" onClick={() => use(v.profile)}>
                        Use {v.profile}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <h3>What the profiles differ by</h3>
      <ul>
        {fixes.map((f) => (
          <li key={f.id}>
            <code>{f.commit}</code> {f.title} — in {f.profiles.join(', ')}
          </li>
        ))}
      </ul>
    </div>
  );
}
