/** The SEV migration view: page maps in the centre, inspector right, timeline below. */
import { Inspector } from '../panes/inspector/Inspector';
import { PageMaps } from '../panes/page-map/PageMaps';
import { PANE_LIMITS } from '../state/slices/ui-slice';
import { useLab } from '../state/store';
import { BottomPanel } from './BottomPanel';
import { Splitter } from './Splitter';

export function SevView() {
  const sizes = useLab((s) => s.paneSizes);
  const resize = useLab((s) => s.resizePane);
  return (
    <div className="sev-view" style={{ gridTemplateColumns: `1fr 6px ${sizes.right}px`, gridTemplateRows: `1fr 6px ${sizes.bottom}px` }}>
      <PageMaps />
      <Splitter
        label="Resize the inspector"
        orientation="vertical"
        size={sizes.right}
        min={PANE_LIMITS.right[0]}
        max={PANE_LIMITS.right[1]}
        invert
        onResize={(px) => resize('right', px)}
      />
      <Inspector />
      <Splitter
        label="Resize the timeline"
        orientation="horizontal"
        size={sizes.bottom}
        min={PANE_LIMITS.bottom[0]}
        max={PANE_LIMITS.bottom[1]}
        invert
        onResize={(px) => resize('bottom', px)}
      />
      <BottomPanel />
    </div>
  );
}
