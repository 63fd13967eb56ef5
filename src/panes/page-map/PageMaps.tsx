/** The centre: source and target page maps with the wire between them (a later issue draws them). */
import { useLab } from '../../state/store';

export function PageMaps() {
  const summary = useLab((s) => s.engineState?.summary);
  return (
    <section className="pane page-maps" aria-labelledby="page-maps-title">
      <h2 id="page-maps-title">Guest memory</h2>
      <div className="page-map-row">
        <figure className="placeholder">
          <figcaption>Source host</figcaption>
          <p>The page map (private / shared / dirty / in flight) appears here with the SEV host.</p>
        </figure>
        <div className="wire" aria-label="Migration link">
          ⇢
        </div>
        <figure className="placeholder">
          <figcaption>Target host</figcaption>
          <p>Pages arrive here during migration.</p>
        </figure>
      </div>
      <p className="summary" data-testid="machine-summary">
        {summary === undefined ? '' : `Machine: ${JSON.stringify(summary)}`}
      </p>
    </section>
  );
}
