/**
 * Session documents: a run as `(scenario, seed, actions)`, which is all it takes to
 * reproduce it exactly. Used by share links, export and the automation API.
 *
 * Schema (`kvm-lab/session` v1): `{format, version: 1, scenario: ScenarioDoc, seed,
 * cursor, actions: ({ticks: n} | {input: any})[]}`; runs of ticks are counted, not
 * listed.
 */
import { DocumentError, checkHeader, isObject, pathJoin, readInt } from './documents.js';
import type { Json } from './events.js';
import type { Action } from './session.js';

export const SESSION_FORMAT = 'kvm-lab/session';
export const SESSION_VERSION = 1;

/** A saved run. */
export interface SessionDoc {
  format: typeof SESSION_FORMAT;
  version: 1;
  scenario: Json;
  seed: number;
  cursor: number;
  actions: ({ ticks: number } | { input: Json })[];
}

/** Packs a timeline (runs of ticks become counts). */
export function packActions(actions: readonly Action[]): SessionDoc['actions'] {
  const out: SessionDoc['actions'] = [];
  for (const a of actions) {
    const last = out[out.length - 1];
    if ('tick' in a) {
      if (last && 'ticks' in last) last.ticks++;
      else out.push({ ticks: 1 });
    } else out.push({ input: a.input });
  }
  return out;
}

/** Unpacks and validates a session document's actions. */
export function unpackActions(doc: SessionDoc): Action[] {
  const out: Action[] = [];
  doc.actions.forEach((a) => {
    if ('ticks' in a) for (let i = 0; i < a.ticks; i++) out.push({ tick: true });
    else out.push({ input: a.input });
  });
  return out;
}

/** Checks a session document's header and shape (the scenario is checked when loaded). */
export function parseSessionDoc(doc: unknown): SessionDoc {
  const d = checkHeader(doc, SESSION_FORMAT, SESSION_VERSION);
  const seed = readInt(d, 'seed', '', 0);
  const cursor = readInt(d, 'cursor', '', 0);
  if (!Array.isArray(d.actions)) throw new DocumentError('actions', 'expected an array');
  const actions = d.actions.map((a, i) => {
    const p = pathJoin('actions', i);
    if (!isObject(a)) throw new DocumentError(p, 'expected {ticks: n} or {input: …}');
    if ('ticks' in a) return { ticks: readInt(a, 'ticks', p, 1, 100_000_000) };
    if ('input' in a) return { input: a.input! };
    throw new DocumentError(p, 'expected {ticks: n} or {input: …}');
  });
  if (d.scenario === undefined) throw new DocumentError('scenario', 'missing');
  return { format: SESSION_FORMAT, version: 1, scenario: d.scenario, seed, cursor, actions };
}
