/**
 * The vGIC-v3 redistributor layout editor (reference vgic-v3-redist.md): the guest
 * physical address space with the distributor and the redistributor regions as blocks,
 * the kernel's verdict on every change (from the engine worker), an inspector, and tabs
 * for the problems, the frames, the three kernel profiles, the ioctls and the script player.
 */
import { useController } from '../../components/controller-context';
import { useLab } from '../../state/store';
import { AddressSpace } from './AddressSpace';
import { LayoutControls } from './LayoutControls';
import { LayoutFileMenu } from './LayoutFileMenu';
import { PresetPicker } from './PresetPicker';
import { StatusLine } from './StatusLine';
import { VgicInspector } from './VgicInspector';
import { VgicTabs } from './VgicTabs';
import './vgic-editor.css';

function ScriptBanner() {
  const ctl = useController();
  const player = useLab((s) => s.vgic.player);
  if (!player) return null;
  return (
    <div className="vgic-script-banner" role="note">
      Showing what the script “{player.name}” has built after {player.playback.upTo} of {player.playback.total} steps
      {player.playback.view ? ` (VM “${player.playback.view.vm}”)` : ' — no VM is open at this step'}. Your layout is
      kept.
      <button type="button" onClick={() => ctl.vgicPlayer.close()}>
        Back to my layout
      </button>
    </div>
  );
}

export function VgicEditor() {
  return (
    <section className="pane vgic-editor" aria-labelledby="vgic-title">
      <div className="vgic-head">
        <h2 id="vgic-title">vGIC-v3 redistributor layout</h2>
        <PresetPicker />
        <LayoutFileMenu />
      </div>
      <LayoutControls />
      <StatusLine />
      <div className="vgic-body">
        <div className="vgic-main">
          <ScriptBanner />
          <AddressSpace />
        </div>
        <VgicInspector />
      </div>
      <VgicTabs />
    </section>
  );
}
