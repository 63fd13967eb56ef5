/**
 * A man in the middle on the migration link (psp-sev-api.md §14.3, §14.4): it parses the
 * stream with the target's own loader (a sink that applies nothing) and rewrites
 * encrypted page records before they reach the target:
 *
 * - `flip-bit`: one bit of the n-th packet's ciphertext → RECEIVE_UPDATE_DATA fails with
 *   BAD_MEASUREMENT, the target's memory is untouched, the migration fails;
 * - `replay`: keeps the first copies of the pages of a range and, when one of them is sent
 *   again (a later pass), sends the old packet instead → accepted: the target holds the
 *   stale page;
 * - `relocate`: swaps the packets of the n-th and the next encrypted record, keeping each
 *   record's page offset → accepted: each page holds the other's contents;
 * - `reorder`: swaps the n-th and the next encrypted record whole (both keep their own
 *   offsets) → accepted and harmless, because each record names its page;
 * - `unknown-record`: sets flag 0x400 in the n-th encrypted record's header → bad input:
 *   the target's loader stops at that record ("Unknown combination of migration flags").
 *
 * The firmware accepts the last three because the packet MAC covers no address, sequence
 * number or handle (§10.1). Bytes it cannot parse pass through unchanged.
 */
import type { TamperSpec } from '../../machines/sev-migration/params.js';
import { RamSaveFlag } from '../stream/format.js';
import { StreamReader } from '../stream/reader.js';
import { LoadError, type LoadBlock, type LoadSink } from '../target/load-sink.js';
import { StreamLoader } from '../target/stream-loader.js';
import type { WireEnvelope, WireTap } from '../wire.js';

interface Rec {
  start: number;
  end: number;
  block: string;
  offset: number;
  /** Bytes of the packet part (be32 hdr_len, hdr, be32 trans_len, trans) at the record's end. */
  packetLen: number;
  withStart: boolean;
}

/**
 * A tap for the a → b path that tampers as `spec` says; `blocks` are the RAM blocks both
 * ends have (the parser checks the MEM_SIZE record against them); `report(mode, detail,
 * offset)` logs each change.
 */
export function streamTamperer(spec: TamperSpec, blocks: readonly { name: string; size: number }[], report: (mode: string, detail: string, offset: number) => void): WireTap {
  const reader = new StreamReader();
  let pend = new Uint8Array(0);
  let pendStart = 0;
  let broken = false;
  let done = false;
  let seen = 0;
  let held: Rec | undefined;
  const kept = new Map<string, Uint8Array>();
  let replayed = false;

  const bytes = (r: Rec): Uint8Array => pend.subarray(r.start - pendStart, r.end - pendStart);
  const onEncrypted = (r: Rec): void => {
    if (done) return;
    seen++;
    const key = `${r.block}:${r.offset}`;
    if (spec.mode === 'flip-bit' && seen === spec.packet) {
      bytes(r)[r.end - r.start - 100] ^= 0x01;
      report('flip-bit', `packet ${seen} (${key}): one ciphertext bit flipped`, r.start);
      done = true;
    } else if (spec.mode === 'unknown-record' && seen === spec.packet) {
      bytes(r)[6] |= 0x04; // bits 15..8 of the offset word: flag 0x400 is no RAM_SAVE_FLAG
      report('unknown-record', `record of packet ${seen} (${key}): flag 0x400 set in its header`, r.start);
      done = true;
    } else if (spec.mode === 'replay' && !r.withStart) {
      const inRange = r.block === 'pc.ram' && r.offset >= spec.range.gpa && r.offset < spec.range.gpa + spec.range.npages * 4096;
      if (!inRange) return;
      const old = kept.get(key);
      if (!old) kept.set(key, bytes(r).slice(r.end - r.start - r.packetLen));
      else if (!replayed) {
        bytes(r).set(old, r.end - r.start - r.packetLen);
        replayed = done = true;
        report('replay', `${key}: the copy from an earlier pass sent again in place of the new one`, r.start);
      }
    } else if ((spec.mode === 'relocate' || spec.mode === 'reorder') && seen >= spec.packet) {
      if (!held) {
        held = r;
        return;
      }
      const a = held;
      held = undefined;
      if (r.packetLen !== a.packetLen || r.withStart || a.withStart) return;
      if (spec.mode === 'relocate') {
        const pa = bytes(a).slice(a.end - a.start - a.packetLen);
        const pb = bytes(r).slice(r.end - r.start - r.packetLen);
        bytes(a).set(pb, a.end - a.start - a.packetLen);
        bytes(r).set(pa, r.end - r.start - r.packetLen);
        report('relocate', `packets of ${a.block}:${a.offset} and ${r.block}:${r.offset} swapped (each page gets the other's data)`, a.start);
      } else {
        const ra = bytes(a).slice();
        const rb = bytes(r).slice();
        const contA = (ra[7] & RamSaveFlag.CONTINUE) !== 0 && (rb[7] & RamSaveFlag.CONTINUE) !== 0;
        if (!contA || ra.length !== rb.length) return;
        pend.set(rb, a.start - pendStart);
        pend.set(ra, r.start - pendStart);
        report('reorder', `records of ${a.block}:${a.offset} and ${r.block}:${r.offset} delivered in swapped order`, a.start);
      }
      done = true;
    }
  };
  const sink: LoadSink = {
    block: (name): LoadBlock | undefined => {
      const b = blocks.find((x) => x.name === name);
      return b ? { name, hva: 0, size: b.size } : undefined;
    },
    needsStart: () => seen === 0,
    plainPage: () => undefined,
    receiveStart: () => undefined,
    encryptedPage: (b, offset, hdr, trans) => {
      onEncrypted({ start: loader.recordOffset, end: reader.offset, block: b.name, offset, packetLen: 8 + hdr.length + trans.length, withStart: seen === 0 });
      return undefined;
    },
    sharedRegions: () => undefined,
    device: () => undefined,
  };
  const loader = new StreamLoader(reader, sink);

  const take = (upTo: number): Uint8Array => {
    const n = upTo - pendStart;
    const out = pend.slice(0, n);
    pend = pend.slice(n);
    pendStart = upTo;
    return out;
  };
  return (e: WireEnvelope): WireEnvelope[] => {
    if (e.msg.type !== 'data') {
      if (pend.length === 0) return [e];
      const offset = pendStart;
      return [{ ...e, msg: { type: 'data', bytes: take(pendStart + pend.length), offset } }, e];
    }
    const chunk = e.msg.bytes;
    const next = new Uint8Array(pend.length + chunk.length);
    next.set(pend);
    next.set(chunk, pend.length);
    pend = next;
    let safe = pendStart + pend.length;
    if (!broken) {
      reader.push(chunk);
      try {
        loader.run(Number.MAX_SAFE_INTEGER);
        safe = held ? held.start : reader.offset;
      } catch (err) {
        if (!(err instanceof LoadError)) throw err;
        broken = true;
        held = undefined;
      }
    }
    if (safe <= pendStart) return [];
    const offset = pendStart;
    return [{ ...e, msg: { type: 'data', bytes: take(safe), offset } }];
  };
}
