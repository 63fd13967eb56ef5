/**
 * The layout's ioctl sequence two ways, each copyable: as a vgic-script v1 document
 * (reference §11; every step expects what it got, so it replays as a check) and as the
 * KVM_*_DEVICE_ATTR / KVM_* calls a VMM would make. The script can be played step by
 * step in the script player.
 */
import type { Json } from '../../../workers/api/types';
import { useController } from '../../components/controller-context';
import { downloadJson } from './download';
import { formatScript } from './model/script-text';
import { CodeBlock } from './CodeBlock';
import { useShown } from './use-shown';

export function IoctlPanel() {
  const ctl = useController();
  const { evaluation: e } = useShown();
  if (!e) return <p className="empty">The kernel model has not answered yet.</p>;
  if (e.error) return <p className="field-error">No ioctls: the layout cannot be read ({e.error}).</p>;
  const script = formatScript(e.script as unknown as Json);
  const calls = e.steps
    .map(
      (s) =>
        `${s.fd}: ${s.line}  → ${'errno' in s.result ? `-${s.result.errno} (${s.result.errnoValue})` : s.result.value !== undefined ? `0, value ${s.result.value}` : '0'}`,
    )
    .join('\n');
  return (
    <div>
      <CodeBlock title="ioctl calls" text={calls} testId="vgic-calls" />
      <CodeBlock title="vgic-script (JSON)" text={script} testId="vgic-script-json">
        <button type="button" onClick={() => downloadJson(e.script, 'vgic-script.json')}>
          Download
        </button>
        <button
          type="button"
          onClick={() => void ctl.vgicPlayer.load(e.script as unknown as Json, 'the layout’s script')}
        >
          Play step by step
        </button>
      </CodeBlock>
    </div>
  );
}
