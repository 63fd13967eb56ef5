/**
 * Properties of the whole PSP (fast-check): any sequence of mailbox commands with
 * arbitrary or half-sensible buffers never throws, keeps every state legal (§2, §3, §13),
 * changes nothing when a command fails, and never puts a guest's private plaintext where
 * the host can read it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CommandBuffer } from './buffers.js';
import { COMMANDS, commandById } from './command-table.js';
import { type EngineEvent } from '../core/events.js';
import { SevStatus } from './status.js';
import { BUF_BASE, GUEST_RAM, GUEST_RAM_SIZE, PspLab } from './test-support/psp-lab.js';

/** A field value, or `alloc`: a fresh zeroed host buffer made when the step runs. */
type Choice = number | 'alloc';

/** One step of a random run. */
type Op =
  | { kind: 'wbinvd' }
  | { kind: 'raw'; id: number; bytes: Uint8Array; badAddr: boolean }
  | { kind: 'fields'; id: number; values: Record<string, Choice> };

const IDS = COMMANDS.map((c) => c.id);
const PAGES = [GUEST_RAM, GUEST_RAM + 4096, GUEST_RAM + 8192, GUEST_RAM + 12288];
const LENGTHS = [0, 15, 16, 48, 52, 64, 128, 2084, 4096, 6252, 0x5000, 0x5010, 0xffffffff];

/** Values worth trying for a field, by its §5 name. */
function choiceFor(name: string): fc.Arbitrary<Choice> {
  if (name === 'handle') {
    return fc.oneof(
      { weight: 4, arbitrary: fc.constant(1) }, // the guest holding the marker
      { weight: 4, arbitrary: fc.integer({ min: 2, max: 6 }) },
      { weight: 2, arbitrary: fc.constantFrom(0, 999, 1024, 1025, 0xffffffff) },
    );
  }
  if (name === 'asid') return fc.integer({ min: 0, max: 17 });
  if (name === 'policy') return fc.constantFrom(0, 1, 2, 3, 4, 8, 0x10, 0x20, 0x40, 0xffffffff);
  if (name === 'flags') return fc.integer({ min: 0, max: 3 });
  if (name.endsWith('paddr')) {
    return fc.oneof(
      { weight: 3, arbitrary: fc.constant<Choice>('alloc') },
      { weight: 3, arbitrary: fc.constantFrom(...PAGES) },
      { weight: 1, arbitrary: fc.constantFrom(...PAGES).map((p) => p + 8) },
      { weight: 1, arbitrary: fc.constantFrom(0, BUF_BASE, GUEST_RAM + GUEST_RAM_SIZE - 16, 0x7fff_fff0) },
    );
  }
  if (name.endsWith('len')) {
    return fc.oneof(
      { weight: 2, arbitrary: fc.constant(4096) },
      { weight: 3, arbitrary: fc.constantFrom(...LENGTHS) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 0x6000 }) },
    );
  }
  return fc.integer({ min: 0, max: 0xffffffff });
}

const fieldsOp: fc.Arbitrary<Op> = fc.constantFrom(...COMMANDS).chain((spec) =>
  fc
    .record(Object.fromEntries(spec.fields.map((f) => [f.name, choiceFor(f.name)])) as Record<string, fc.Arbitrary<Choice>>)
    .map((values): Op => ({ kind: 'fields', id: spec.id, values })),
);

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 1, arbitrary: fc.constant<Op>({ kind: 'wbinvd' }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('raw' as const),
      id: fc.oneof(fc.constantFrom(...IDS), fc.integer({ min: 0, max: 0x1ff })),
      bytes: fc.uint8Array({ maxLength: 80 }),
      badAddr: fc.boolean(),
    }),
  },
  { weight: 9, arbitrary: fieldsOp },
);

interface World {
  lab: PspLab;
  marker: Uint8Array;
}

/** A platform with guests in several states; guest 1 (NODBG|NOKS) holds a private marker. */
function world(seed: number): World {
  const lab = new PspLab({ seed });
  lab.init();
  const secret = lab.guestIn('RUNNING', { policy: 3 });
  const marker = lab.rng.bytes(32);
  lab.psp.guestView(secret.handle)!.write(secret.page + 16, marker);
  const others = [lab.guestIn('LUPDATE'), lab.guestIn('SUPDATE'), lab.guestIn('RUPDATE'), lab.guestIn('LSECRET', { activate: false })];
  void others;
  return { lab, marker };
}

function run(w: World, op: Op): { status: number | undefined; cmdAddr: bigint } {
  const { lab } = w;
  if (op.kind === 'wbinvd') {
    lab.hw.wbinvd();
    return { status: undefined, cmdAddr: 0n };
  }
  if (op.kind === 'raw') {
    const addr = op.badAddr ? 0xdead_0000_0000n : lab.put(op.bytes.length ? op.bytes : new Uint8Array(1));
    return { status: lab.psp.command(op.id, addr), cmdAddr: addr };
  }
  const spec = commandById(op.id)!;
  const buf = new CommandBuffer(Math.max(spec.size, 16));
  for (const f of spec.fields) {
    const v = op.values[f.name];
    buf.set(f, v === 'alloc' ? lab.alloc(0x6000) : BigInt(v));
  }
  const addr = lab.put(buf.bytes);
  return { status: lab.psp.command(op.id, addr), cmdAddr: addr };
}

/** Every page the host can read, as one string per page (plus the next 31 bytes, for markers across pages). */
function hostReadable(lab: PspLab): Map<number, Uint8Array> {
  const out = new Map<number, Uint8Array>();
  for (const pfn of lab.hw.memory.allocatedFrames()) out.set(pfn, lab.read(pfn * 4096, 4096 + 31));
  return out;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function contains(hay: Uint8Array, needle: Uint8Array): boolean {
  const first = needle[0];
  for (let i = hay.indexOf(first); i >= 0 && i + needle.length <= hay.length; i = hay.indexOf(first, i + 1)) {
    if (sameBytes(hay.subarray(i, i + needle.length), needle)) return true;
  }
  return false;
}

function checkLegal(lab: PspLab): void {
  const s = lab.psp.status();
  expect(['UNINIT', 'INIT', 'WORKING']).toContain(s.state);
  expect(s.guests.length > 0).toBe(s.state === 'WORKING');
  const held = new Map<number, number>();
  for (const g of s.guests) {
    expect(g.state).toBeGreaterThanOrEqual(1);
    expect(g.state).toBeLessThanOrEqual(6);
    expect(g.activation === 'inactive').toBe(g.asid === 0);
    if (g.asid !== 0) {
      expect(held.has(g.asid), `ASID ${g.asid} held twice`).toBe(false);
      held.set(g.asid, g.handle);
      expect(s.asids[g.asid - 1]).toBe(g.activation === 'active' ? 'in-use' : 'allocated');
      expect(lab.hw.isAsidValid(g.asid)).toBe(g.activation === 'active');
      if (g.activation === 'pending') expect(['LUPDATE', 'LSECRET', 'RUPDATE']).toContain(g.stateName);
    }
  }
  s.asids.forEach((a, i) => {
    if (a === 'in-use' || a === 'allocated') expect(held.has(i + 1), `ASID ${i + 1} is ${a} but no guest holds it`).toBe(true);
  });
}

/** Commands that read or write guest memory, aimed at the marker guest with random spans. */
const aimedOp: fc.Arbitrary<Op> = fc
  .record({
    cmd: fc.constantFrom('DBG_DECRYPT', 'DBG_ENCRYPT', 'SEND_UPDATE_DATA', 'LAUNCH_UPDATE_DATA', 'LAUNCH_SECRET', 'RECEIVE_UPDATE_DATA'),
    page: fc.constantFrom(...PAGES),
    offset: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 255 }).map((x) => x * 16)),
    len: fc.oneof(fc.constantFrom(16, 32, 48, 64, 4096), fc.integer({ min: 0, max: 300 }).map((x) => x * 16)),
  })
  .map(({ cmd, page, offset, len }): Op => {
    const spec = COMMANDS.find((c) => c.name === cmd)!;
    const values: Record<string, Choice> = {};
    for (const f of spec.fields) values[f.name] = f.name.endsWith('len') ? len : f.name.endsWith('paddr') ? 'alloc' : 1;
    const guestField = cmd === 'DBG_DECRYPT' ? 'src_paddr' : cmd === 'DBG_ENCRYPT' ? 'dst_paddr' : cmd === 'LAUNCH_UPDATE_DATA' ? 'paddr' : 'guest_paddr';
    values[guestField] = page + offset;
    if ('hdr_len' in values) values.hdr_len = 52;
    return { kind: 'fields', id: spec.id, values };
  });

describe('PSP properties', () => {
  it('commands aimed at a NODBG guest\'s private memory never hand the host its plaintext', () => {
    let seed = 500;
    fc.assert(
      fc.property(fc.array(aimedOp, { minLength: 3, maxLength: 12 }), (ops) => {
        const w = world(seed++);
        for (const op of ops) {
          run(w, op);
          for (const [pfn, bytes] of hostReadable(w.lab)) {
            if (contains(bytes, w.marker)) throw new Error(`private marker readable by the host at page 0x${pfn.toString(16)} after ${JSON.stringify(op)}`);
          }
        }
      }),
      { numRuns: 20, seed: 99 },
    );
  });

  it('any command sequence: no exception, legal states, failures change nothing, no private plaintext for the host', () => {
    let seed = 100;
    fc.assert(
      fc.property(
        fc.array(opArb, { minLength: 5, maxLength: 40 }),
        (ops) => {
          const w = world(seed++);
          for (const op of ops) {
            const before = w.lab.psp.status();
            const memBefore = hostReadable(w.lab);
            const { status, cmdAddr } = run(w, op);
            checkLegal(w.lab);
            if (status !== undefined && status !== SevStatus.SUCCESS) {
              expect(w.lab.psp.status()).toEqual(before);
              const memAfter = hostReadable(w.lab);
              const cmdPfn = Number(cmdAddr >> 12n);
              for (const [pfn, bytes] of memAfter) {
                if (pfn === cmdPfn || pfn === cmdPfn + 1) continue; // the command buffer itself (queries write it back)
                const old = memBefore.get(pfn);
                if (!old || !sameBytes(old, bytes)) throw new Error(`page 0x${pfn.toString(16)} changed by failed command ${JSON.stringify(op)}`);
              }
            }
            for (const [pfn, bytes] of hostReadable(w.lab)) {
              if (contains(bytes, w.marker)) throw new Error(`private marker readable by the host at page 0x${pfn.toString(16)}`);
            }
          }
          const events = w.lab.log.slice() as EngineEvent<'psp.command'>[];
          expect(events.filter((e) => e.payload.summary.startsWith('internal error'))).toEqual([]);
        },
      ),
      { numRuns: 60, seed: 1234 },
    );
  });
});
