/**
 * Every ioctl the kernel refused, in order: the errno as userspace sees it (name and
 * number), the ioctl and step, the block, and the sentence behind the rule. Nothing is
 * ever refused silently: a malformed layout says what is malformed.
 */
import { useController } from '../../components/controller-context';
import { blocksForTarget } from './model/blocks';
import { errnoLabel, phaseLabel } from './model/marks';
import { vcpuList } from './model/summary';
import { useShown } from './use-shown';

export function ProblemsPanel() {
  const ctl = useController();
  const { evaluation: e, blocks, mode } = useShown();
  if (!e) return <p className="empty">The kernel model has not answered yet.</p>;
  if (e.error) return <p className="field-error">The layout cannot be read: {e.error}</p>;
  if (!e.failures.length)
    return <p className="empty">No problems: every ioctl succeeds and the first KVM_RUN returns 0.</p>;
  return (
    <ol className="vgic-problems" data-testid="vgic-problems">
      {e.failures.map((f) => {
        const target = blocksForTarget(blocks, f.target)[0];
        return (
          <li key={f.step}>
            <strong className="vgic-errno">{errnoLabel(f)}</strong> at {phaseLabel(f)}, step {f.step}
            {f.target ? ` (${f.target})` : ''}: {f.explanation}. <span className="summary">[rule {f.rule}]</span>{' '}
            {target && mode === 'edit' && (
              <button type="button" className="link" onClick={() => ctl.vgic.select(target)}>
                Select the block
              </button>
            )}
          </li>
        );
      })}
      {e.unplaced.length > 0 && (
        <li>vCPU {vcpuList(e.unplaced)} had no redistributor frame when KVM_RUN was issued.</li>
      )}
    </ol>
  );
}
