/**
 * The append-only event log of a run: the source of truth every pane, the CLI and
 * exports are derived from.
 */
import type { Clock } from './clock.js';
import type { EngineEvent, EventDraft, EventKind } from './events.js';

/** Called with each new event, in order. */
export type EventListener = (e: EngineEvent) => void;

/** Appends events with consecutive sequence numbers and the clock's time. */
export class EventLog {
  private readonly events: EngineEvent[] = [];
  private readonly listeners = new Set<EventListener>();

  constructor(private readonly clock: Clock) {}

  /** Number of events in the log. */
  get length(): number {
    return this.events.length;
  }

  /** Appends one event, stamped with the next sequence number and the current time. */
  append<K extends EventKind>(draft: EventDraft<K>): EngineEvent<K> {
    const e = {
      seq: this.events.length,
      t: draft.t ?? this.clock.now(),
      host: draft.host,
      component: draft.component,
      kind: draft.kind,
      payload: draft.payload,
    } as EngineEvent<K>;
    this.events.push(e);
    for (const l of this.listeners) l(e);
    return e;
  }

  /** The event with sequence number `seq`, if any. */
  at(seq: number): EngineEvent | undefined {
    return this.events[seq];
  }

  /** Events with `from <= seq < to` (a copy of the array; events are never mutated). */
  slice(from = 0, to = this.events.length): EngineEvent[] {
    return this.events.slice(from, to);
  }

  /** Calls `listener` on every later append; returns the unsubscribe function. */
  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** The log as JSON lines (one event per line), as the CLI prints it. */
export function toJsonLines(events: readonly EngineEvent[]): string {
  return events.map((e) => JSON.stringify(e)).join('\n') + (events.length ? '\n' : '');
}
