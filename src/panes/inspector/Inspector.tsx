/** The inspector: the selected item field by field (for now: an event of the log). */
import { formatNs } from '../../components/format';
import { useLab } from '../../state/store';

export function Inspector() {
  const seq = useLab((s) => s.selectedSeq);
  const event = useLab((s) => (s.selectedSeq === null ? undefined : s.events[s.selectedSeq]));
  return (
    <section className="pane inspector" aria-labelledby="inspector-title">
      <h2 id="inspector-title">Inspector</h2>
      {!event ? (
        <p className="empty">{seq === null ? 'Select an event in the timeline to see it here.' : 'That event is not visible at this step.'}</p>
      ) : (
        <dl>
          <dt>seq</dt>
          <dd>{event.seq}</dd>
          <dt>time</dt>
          <dd>{formatNs(event.t)}</dd>
          <dt>host</dt>
          <dd>{event.host}</dd>
          <dt>component</dt>
          <dd>{event.component}</dd>
          <dt>kind</dt>
          <dd>{event.kind}</dd>
          <dt>payload</dt>
          <dd>
            <pre>{JSON.stringify(event.payload, null, 2)}</pre>
          </dd>
        </dl>
      )}
    </section>
  );
}
