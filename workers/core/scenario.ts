/**
 * Scenario documents: which machine to run, with which parameters and seed.
 *
 * Schema (`kvm-lab/scenario` v1):
 * `{format, version: 1, name, title, description?, machine, seed?, params?}` where
 * `machine` names a registered {@link MachineKind} and `params` is checked by it.
 */
import { DocumentError, checkHeader, isObject, readString } from './documents.js';
import type { Json } from './events.js';
import type { MachineKind } from './machine.js';

export const SCENARIO_FORMAT = 'kvm-lab/scenario';
export const SCENARIO_VERSION = 1;

/** A scenario as loaded. */
export interface ScenarioDoc {
  format: typeof SCENARIO_FORMAT;
  version: 1;
  /** Short id, used in URLs and on the CLI (`default`, `v11-abi`, ...). */
  name: string;
  title: string;
  description?: string;
  machine: string;
  seed?: number;
  params?: Json;
}

/** Validates a scenario against the registered machine kinds. */
export function parseScenario(doc: unknown, kinds: ReadonlyMap<string, MachineKind>): ScenarioDoc {
  const d = checkHeader(doc, SCENARIO_FORMAT, SCENARIO_VERSION);
  const name = readString(d, 'name', '');
  const title = readString(d, 'title', '');
  const machine = readString(d, 'machine', '');
  const kind = kinds.get(machine);
  if (!kind) {
    throw new DocumentError('machine', `unknown machine "${machine}" (known: ${[...kinds.keys()].join(', ')})`);
  }
  if (d.seed !== undefined && (typeof d.seed !== 'number' || !Number.isInteger(d.seed) || d.seed < 0)) {
    throw new DocumentError('seed', 'expected a non-negative integer');
  }
  if (d.description !== undefined && typeof d.description !== 'string') {
    throw new DocumentError('description', 'expected a string');
  }
  const params = d.params ?? {};
  if (!isObject(params)) throw new DocumentError('params', 'expected an object');
  kind.validate(params, 'params');
  return {
    format: SCENARIO_FORMAT,
    version: 1,
    name,
    title,
    machine,
    params,
    ...(typeof d.description === 'string' ? { description: d.description } : {}),
    ...(typeof d.seed === 'number' ? { seed: d.seed } : {}),
  };
}
