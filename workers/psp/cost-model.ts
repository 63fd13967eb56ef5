/**
 * How much virtual time a PSP command takes (design.md "Events, time and determinism").
 *
 * [U] lab cost model, tuned to the one figure the reference quotes: a real PSP moves
 * about 350–450 pages/s through SEND_UPDATE_DATA (design.md), i.e. ~2.5 ms per 4 KiB
 * page. Other figures are rough orders of magnitude for a PSP doing P-384 and RSA in
 * firmware: key generation and ECDH take milliseconds, bookkeeping commands tens of µs.
 * A command that fails its checks costs only the mailbox round trip.
 */
import { NS } from '../core/clock.js';
import { SevStatus } from './status.js';

/** Mailbox round trip (doorbell, buffer copy, interrupt). */
export const MAILBOX_NS = 20 * NS.us;

/** Fixed cost of a successful command beyond the mailbox, by name. */
const FIXED_NS: Readonly<Record<string, number>> = {
  INIT: 80 * NS.ms,
  PEK_GEN: 60 * NS.ms,
  PEK_CSR: 1 * NS.ms,
  PEK_CERT_IMPORT: 30 * NS.ms,
  PDH_GEN: 20 * NS.ms,
  PDH_CERT_EXPORT: 2 * NS.ms,
  GET_ID: 100 * NS.us,
  DF_FLUSH: 200 * NS.us,
  ACTIVATE: 100 * NS.us,
  DEACTIVATE: 50 * NS.us,
  LAUNCH_START: 2 * NS.ms,
  RECEIVE_START: 15 * NS.ms,
  SEND_START: 25 * NS.ms,
  LAUNCH_MEASURE: 500 * NS.us,
  SEND_UPDATE_DATA: 300 * NS.us,
  SEND_UPDATE_VMSA: 300 * NS.us,
  RECEIVE_UPDATE_DATA: 300 * NS.us,
  RECEIVE_UPDATE_VMSA: 300 * NS.us,
};

/** Per 4 KiB of guest data: SEND/RECEIVE_UPDATE_* add up to ~2.5 ms per page (~400 pages/s). */
const PER_PAGE_NS: Readonly<Record<string, number>> = {
  SEND_UPDATE_DATA: 2.2 * NS.ms,
  SEND_UPDATE_VMSA: 2.2 * NS.ms,
  RECEIVE_UPDATE_DATA: 2.2 * NS.ms,
  RECEIVE_UPDATE_VMSA: 2.2 * NS.ms,
  LAUNCH_UPDATE_DATA: 1 * NS.ms,
  LAUNCH_UPDATE_VMSA: 1 * NS.ms,
  LAUNCH_SECRET: 1 * NS.ms,
  DBG_DECRYPT: 0.5 * NS.ms,
  DBG_ENCRYPT: 0.5 * NS.ms,
};

/** Virtual nanoseconds one command takes. */
export function commandCostNs(cmd: string | undefined, status: number, bytes = 0): number {
  if (cmd === undefined || status !== SevStatus.SUCCESS) return MAILBOX_NS;
  const perPage = PER_PAGE_NS[cmd] ?? 0;
  return Math.round(MAILBOX_NS + (FIXED_NS[cmd] ?? 0) + (perPage * bytes) / 4096);
}
