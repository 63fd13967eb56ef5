/**
 * The event log at the cursor as a virtualised list: only the rows in view are in the
 * DOM, so a migration's hundreds of thousands of events scroll as fast as a dozen.
 * Click or Enter selects an event for the inspector; double-click jumps the run there.
 */
import { useEffect, useRef, useState } from 'react';
import { useController } from '../../components/controller-context';
import { formatNs, payloadSummary } from '../../components/format';
import { useLab } from '../../state/store';

const ROW = 24;

export function EventList() {
  const ctl = useController();
  const events = useLab((s) => s.events);
  const selected = useLab((s) => s.selectedSeq);
  const select = useLab((s) => s.select);
  const box = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(200);
  const follow = useRef(true);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // Keep the newest event in view while the user has not scrolled away from the end.
  useEffect(() => {
    const el = box.current;
    if (el && follow.current) el.scrollTop = el.scrollHeight;
  }, [events.length]);

  const first = Math.max(0, Math.floor(scrollTop / ROW) - 5);
  const last = Math.min(events.length, Math.ceil((scrollTop + height) / ROW) + 5);
  const rows = events.slice(first, last);

  return (
    <>
      {events.length === 0 && <p className="empty">No events yet: press ▶ or → to step.</p>}
      <div
        ref={box}
        className="event-list"
        role="listbox"
        tabIndex={0}
        aria-label={`Event log, ${events.length} events`}
        aria-activedescendant={selected === null ? undefined : `event-${selected}`}
        onScroll={(e) => {
          const el = e.currentTarget;
          setScrollTop(el.scrollTop);
          follow.current = el.scrollTop + el.clientHeight >= el.scrollHeight - ROW;
        }}
        onKeyDown={(e) => {
          if (!events.length) return;
          const cur = selected ?? events.length;
          const next = e.key === 'ArrowDown' ? cur + 1 : e.key === 'ArrowUp' ? cur - 1 : null;
          if (next !== null) {
            e.preventDefault();
            const seq = Math.max(0, Math.min(events.length - 1, next));
            select(seq);
            box.current?.querySelector(`#event-${seq}`)?.scrollIntoView({ block: 'nearest' });
          } else if (e.key === 'Enter' && selected !== null) {
            e.preventDefault();
            void ctl.seekToEvent(selected);
          }
        }}
      >
        <div role="presentation" style={{ height: events.length * ROW, position: 'relative' }}>
          {rows.map((e) => (
            <div
              key={e.seq}
              id={`event-${e.seq}`}
              role="option"
              aria-selected={selected === e.seq}
              className="event-row"
              style={{ top: e.seq * ROW, height: ROW }}
              onClick={() => select(e.seq)}
              onDoubleClick={() => void ctl.seekToEvent(e.seq)}
            >
              <span className="seq">{e.seq}</span>
              <span className="t">{formatNs(e.t)}</span>
              <span className="component">{e.component}</span>
              <span className="kind">{e.kind}</span>
              <span className="payload">{payloadSummary(e.payload)}</span>
            </div>
          ))}
        </div>
      </div>
    </>
  );
}
