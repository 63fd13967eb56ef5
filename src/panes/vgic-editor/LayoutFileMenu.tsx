/**
 * New / Save / Open of the layout as a `kvm-lab/vgic-layout` JSON document. Opening
 * validates the file in the engine; a bad file leaves the layout as it was and the
 * notice names the path of the first problem.
 */
import { useRef } from 'react';
import { useController } from '../../components/controller-context';
import { useLab } from '../../state/store';
import { clearLayout } from './model/edit';
import { downloadJson, readChosenFile } from './download';

export function LayoutFileMenu() {
  const ctl = useController();
  const scripting = useLab((s) => s.vgic.player !== null);
  const input = useRef<HTMLInputElement>(null);
  return (
    <div className="vgic-toolbar" role="group" aria-label="Layout file">
      <button
        type="button"
        disabled={scripting}
        onClick={() =>
          void ctl.vgic.setLayout(clearLayout(ctl.vgic.layout), { selected: null, fit: true, notice: null })
        }
      >
        New
      </button>
      <button
        type="button"
        onClick={() =>
          void ctl.vgic.layoutDoc('vgic layout').then(
            (doc) => downloadJson(doc, 'vgic-layout.json'),
            (err: unknown) =>
              ctl.vgic.notifyError(`Could not save the layout: ${err instanceof Error ? err.message : String(err)}`),
          )
        }
      >
        Save…
      </button>
      <button type="button" disabled={scripting} onClick={() => input.current?.click()}>
        Open…
      </button>
      <input
        ref={input}
        type="file"
        accept=".json,application/json"
        hidden
        aria-label="Open a layout file"
        data-testid="vgic-open-layout"
        onChange={(e) =>
          void readChosenFile(e.currentTarget).then((f) => {
            if (f) void ctl.vgic.loadLayoutDoc(f.text, f.name);
          })
        }
      />
    </div>
  );
}
