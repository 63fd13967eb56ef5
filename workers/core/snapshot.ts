/**
 * Snapshot documents: the full state of a run at one cursor position.
 *
 * Schema (`kvm-lab/snapshot` v1): `{format, version: 1, scenario: ScenarioDoc, seed,
 * cursor, t, events, rng: {key, drawn}, machine: any}`. `events` is the number of log
 * entries at that point; the entries themselves are not part of a snapshot (they are
 * derived by replaying the session document).
 */
import { DocumentError, checkHeader, isObject, readInt, readString } from './documents.js';
import type { Json } from './events.js';
import type { Checkpoint } from './session.js';

export const SNAPSHOT_FORMAT = 'kvm-lab/snapshot';
export const SNAPSHOT_VERSION = 1;

/** A saved state. */
export interface SnapshotDoc {
  format: typeof SNAPSHOT_FORMAT;
  version: 1;
  scenario: Json;
  seed: number;
  cursor: number;
  t: number;
  events: number;
  rng: { key: string; drawn: number };
  machine: Json;
}

/** Wraps a checkpoint into a document. */
export function toSnapshotDoc(scenario: Json, seed: number, cp: Checkpoint): SnapshotDoc {
  return {
    format: SNAPSHOT_FORMAT,
    version: 1,
    scenario,
    seed,
    cursor: cp.cursor,
    t: cp.t,
    events: cp.events,
    rng: { key: cp.rng.key, drawn: cp.rng.drawn },
    machine: cp.machine,
  };
}

/** Validates a snapshot document (header, numbers, the RNG state). */
export function parseSnapshotDoc(doc: unknown): SnapshotDoc {
  const d = checkHeader(doc, SNAPSHOT_FORMAT, SNAPSHOT_VERSION);
  const rng = d.rng;
  if (!isObject(rng)) throw new DocumentError('rng', 'expected {key, drawn}');
  const key = readString(rng, 'key', 'rng');
  if (!/^[0-9a-f]{64}$/.test(key)) throw new DocumentError('rng.key', 'expected 64 lowercase hex digits');
  if (d.scenario === undefined) throw new DocumentError('scenario', 'missing');
  return {
    format: SNAPSHOT_FORMAT,
    version: 1,
    scenario: d.scenario,
    seed: readInt(d, 'seed', '', 0),
    cursor: readInt(d, 'cursor', '', 0),
    t: readInt(d, 't', '', 0),
    events: readInt(d, 'events', '', 0),
    rng: { key, drawn: readInt(rng, 'drawn', 'rng', 0) },
    machine: d.machine ?? null,
  };
}

/** Turns a snapshot document back into a session checkpoint. */
export function snapshotToCheckpoint(doc: SnapshotDoc): Checkpoint {
  return { cursor: doc.cursor, t: doc.t, events: doc.events, rng: doc.rng, machine: doc.machine };
}
