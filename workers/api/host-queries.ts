/**
 * The engine API's reads of a scenario's SEV hosts (EngineApi.hostNames,
 * guestMemoryDigest, pageStates), for the synchronous engine and the one whose hosts run
 * in workers: both look the host up the same way and give the same messages.
 */
import { inspectsHosts, type HostInspection } from '../machines/host-inspection.js';
import type { Outcome } from './types.js';

/** The machine as a host inspector, or the message saying why it is not one / has no such host. */
export function inspectorFor<A extends boolean>(machine: unknown, scenario: string, host: string): HostInspection<A> | string {
  if (!inspectsHosts<A>(machine)) return `scenario "${scenario}" has no SEV hosts`;
  const names = machine.hostNames();
  if (!names.includes(host)) return `no host "${host}" in scenario "${scenario}" (hosts: ${names.join(', ')})`;
  return machine;
}

/** `value` as an Outcome (undefined: the host went away). */
export function hostOutcome<T>(value: T | undefined, host: string): Outcome<T> {
  return value === undefined ? { ok: false, error: `no host "${host}"` } : { ok: true, value };
}
