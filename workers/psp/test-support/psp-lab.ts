/**
 * A test harness for the PSP: one host's hardware and PSP, with helpers that place
 * command buffers in host memory by §5 field name and drive a guest to any state of §3.
 *
 *   const lab = new PspLab();
 *   lab.init();                        // INIT, WBINVD, DF_FLUSH
 *   const g = lab.guestIn('SUPDATE');  // a guest launched, activated and sending
 *   lab.cmd('SEND_FINISH', { handle: g.handle }).status  // → SUCCESS
 *
 * Test-only (lives in test-support/, excluded from the engine build).
 */
import { buildOwnerSession, TransportKeys, type RandomSource } from '../crypto/index.js';
import { VirtualClock } from '../../core/clock.js';
import { EventLog } from '../../core/event-log.js';
import { SeededRng } from '../../core/rng.js';
import { CommandBuffer } from '../buffers.js';
import { commandByName } from '../command-table.js';
import { SevHardware } from '../hardware.js';
import { Psp, type PspOptions } from '../psp.js';
import { SevStatus } from '../status.js';

/** Host-buffer RAM of the harness. */
export const BUF_BASE = 0x1000_0000;
/** Guest RAM of the harness (one region; tests pick addresses inside it). */
export const GUEST_RAM = 0x4000_0000;
export const GUEST_RAM_SIZE = 64 << 20;

/** Guest states a fixture can produce. */
export type FixtureState = 'LUPDATE' | 'LSECRET' | 'RUNNING' | 'SUPDATE' | 'RUPDATE' | 'SENT';

/** A guest made by {@link PspLab.guestIn}. */
export interface Fixture {
  handle: number;
  /** Where its private page lives (system address). */
  page: number;
  /** The ASID it was activated on (0 if `activate` was false). */
  asid: number;
  /** TEK/TIK of its channel where the test knows them (all-zero launch, owner-made receive). */
  keys: TransportKeys;
  /** LAUNCH_MEASURE's MEASUREMENT (LSECRET). */
  measurement?: Uint8Array;
}

/** Result of {@link PspLab.cmd}. */
export interface CmdResult {
  status: number;
  /** The command buffer as it is in host memory afterwards. */
  buf: CommandBuffer;
  addr: bigint;
}

/** One host with a PSP, for tests. */
export class PspLab {
  readonly clock = new VirtualClock();
  readonly log = new EventLog(this.clock);
  readonly hw: SevHardware;
  readonly psp: Psp;
  readonly rng: RandomSource;
  private next = BUF_BASE;
  private nextPage = GUEST_RAM;
  private nextAsid = 1;

  constructor(
    opts: { seed?: number; host?: string; maxAsid?: number } & Partial<Pick<PspOptions, 'instructor' | 'amdRoot' | 'chip'>> = {},
  ) {
    const root = SeededRng.fromSeed(opts.seed ?? 1);
    this.rng = root.fork('test');
    this.hw = new SevHardware({
      ram: [{ base: BUF_BASE, size: 0x1000_0000 }, { base: GUEST_RAM, size: GUEST_RAM_SIZE }],
      cpu: opts.maxAsid ? { maxAsid: opts.maxAsid } : {},
    });
    this.psp = new Psp({
      host: opts.host ?? 'src',
      hardware: this.hw,
      rng: root.fork('psp'),
      clock: this.clock,
      log: this.log,
      instructor: opts.instructor,
      amdRoot: opts.amdRoot,
      chip: opts.chip,
    });
  }

  /** A fresh zeroed 16-aligned host buffer. */
  alloc(len: number): bigint {
    const at = this.next;
    this.next += Math.max(16, Math.ceil(len / 16) * 16);
    return BigInt(at);
  }

  /** Copies `bytes` into a fresh host buffer. */
  put(bytes: Uint8Array): bigint {
    const a = this.alloc(bytes.length);
    this.hw.memory.write(Number(a), bytes);
    return a;
  }

  /** Raw host memory. */
  read(addr: bigint | number, len: number): Uint8Array {
    return this.hw.memory.read(Number(addr), len)!;
  }

  /** An ASID no fixture has used yet. */
  freshAsid(): number {
    return this.nextAsid++;
  }

  /** A fresh private page for a guest (system address). */
  newPage(): number {
    const p = this.nextPage;
    this.nextPage += 4096;
    return p;
  }

  /** Issues `name` with the given §5 fields (others 0), the buffer placed in host memory. */
  cmd(name: string, fields: Record<string, number | bigint> = {}): CmdResult {
    const spec = commandByName(name);
    if (!spec) throw new Error(`no command ${name}`);
    const buf = new CommandBuffer(spec.size);
    for (const [k, v] of Object.entries(fields)) {
      const f = spec.fields.find((x) => x.name === k);
      if (!f) throw new Error(`${name} has no field ${k}`);
      buf.set(f, v);
    }
    const addr = spec.size ? this.put(buf.bytes) : 0n;
    const status = this.psp.command(spec.id, addr);
    return { status, buf: new CommandBuffer(spec.size ? this.read(addr, spec.size) : new Uint8Array(0)), addr };
  }

  /** Like {@link cmd} but throws unless SUCCESS. */
  ok(name: string, fields: Record<string, number | bigint> = {}): CmdResult {
    const r = this.cmd(name, fields);
    if (r.status !== SevStatus.SUCCESS) throw new Error(`${name} failed with 0x${r.status.toString(16)}`);
    return r;
  }

  /** INIT, then WBINVD and DF_FLUSH so ASIDs are clean. */
  init(flags = 0): void {
    this.ok('INIT', { flags });
    this.hw.wbinvd();
    this.ok('DF_FLUSH');
  }

  /** This platform's PDH certificate. */
  pdhCert(): Uint8Array {
    const pdh = this.alloc(2084);
    this.ok('PDH_CERT_EXPORT', { pdh_paddr: pdh, pdh_len: 2084, chain_paddr: this.alloc(6252), chain_len: 6252 });
    return this.read(pdh, 2084);
  }

  /** This platform's PEK ‖ OCA ‖ CEK chain (the CEK unsigned, as PDH_CERT_EXPORT gives it). */
  chain(): Uint8Array {
    const chain = this.alloc(6252);
    this.ok('PDH_CERT_EXPORT', { pdh_paddr: this.alloc(2084), pdh_len: 2084, chain_paddr: chain, chain_len: 6252 });
    return this.read(chain, 6252);
  }

  /** GET_ID's 64 bytes. */
  chipId(): Uint8Array {
    const id = this.alloc(64);
    this.ok('GET_ID', { paddr: id, len: 64 });
    return this.read(id, 64);
  }

  /** A guest-owner session for this platform's PDH (§9.3): GODH cert, session, and the keys in it. */
  ownerSession(policy: number, opts: { pdh?: Uint8Array } = {}): { dhCert: Uint8Array; session: Uint8Array; keys: TransportKeys } {
    const tek = this.rng.bytes(16);
    const tik = this.rng.bytes(16);
    const s = buildOwnerSession({ pdhCert: opts.pdh ?? this.pdhCert(), policy, tek, tik, rng: this.rng });
    if (!s.ok) throw new Error(s.reason);
    return { dhCert: s.dhCert, session: s.session, keys: new TransportKeys(tek, tik) };
  }

  /** LAUNCH_START / RECEIVE_START fields for a session and its DH certificate. */
  startFields(
    policy: number,
    s: { dhCert: Uint8Array; session: Uint8Array },
    cert: 'dh_cert' | 'pdh_cert' = 'dh_cert',
    handle = 0,
  ): Record<string, number | bigint> {
    return {
      handle,
      policy,
      [`${cert}_paddr`]: this.put(s.dhCert),
      [`${cert}_len`]: s.dhCert.length,
      session_paddr: this.put(s.session),
      session_len: s.session.length,
    };
  }

  /** A guest in `state`, activated on a fresh ASID unless `activate` is false (then deactivated after). */
  guestIn(state: FixtureState, opts: { policy?: number; activate?: boolean; data?: Uint8Array } = {}): Fixture {
    const policy = opts.policy ?? 0;
    const page = this.newPage();
    const asid = this.freshAsid();
    const zero = new Uint8Array(16);
    let handle: number;
    let keys: TransportKeys;
    let measurement: Uint8Array | undefined;
    if (state === 'RUPDATE') {
      const tek = this.rng.bytes(16);
      const tik = this.rng.bytes(16);
      const s = buildOwnerSession({ pdhCert: this.pdhCert(), policy, tek, tik, rng: this.rng });
      if (!s.ok) throw new Error(s.reason);
      const r = this.ok('RECEIVE_START', {
        policy,
        pdh_cert_paddr: this.put(s.dhCert),
        pdh_cert_len: 2084,
        session_paddr: this.put(s.session),
        session_len: 128,
      });
      handle = r.buf.u32(0);
      keys = new TransportKeys(tek, tik);
      this.ok('ACTIVATE', { handle, asid });
    } else {
      handle = this.ok('LAUNCH_START', { policy }).buf.u32(0);
      keys = new TransportKeys(zero, zero);
      this.ok('ACTIVATE', { handle, asid });
      this.hw.memory.write(page, opts.data ?? this.rng.bytes(4096));
      this.ok('LAUNCH_UPDATE_DATA', { handle, paddr: page, len: 4096 });
      if (state !== 'LUPDATE') {
        const m = this.alloc(48);
        this.ok('LAUNCH_MEASURE', { handle, paddr: m, len: 48 });
        measurement = this.read(m, 32);
      }
      if (state !== 'LUPDATE' && state !== 'LSECRET') this.ok('LAUNCH_FINISH', { handle });
      if (state === 'SUPDATE' || state === 'SENT') {
        const pdh = this.pdhCert();
        this.ok('SEND_START', { handle, pdh_cert_paddr: this.put(pdh), pdh_cert_len: 2084, session_paddr: this.alloc(128), session_len: 128 });
      }
      if (state === 'SENT') this.ok('SEND_FINISH', { handle });
    }
    if (opts.activate === false) {
      this.ok('DEACTIVATE', { handle });
      this.hw.wbinvd();
      this.ok('DF_FLUSH');
    }
    return { handle, page, asid: opts.activate === false ? 0 : asid, keys, measurement };
  }
}

/** Two hosts mid-migration: made by {@link startMigration}. */
export interface MigrationPair {
  src: PspLab;
  dst: PspLab;
  /** The source guest (SUPDATE) and its private pages, one per plaintext given. */
  g: Fixture;
  srcPages: number[];
  /** SEND_START's session blob (host address on src) and policy. */
  session: bigint;
  policy: number;
}

/**
 * Launches a guest whose pages hold `plain` on a fresh `src`, and runs SEND_START towards
 * a fresh `dst`'s PDH: the common start of every SEND → RECEIVE test and bench.
 */
export function startMigration(plain: Uint8Array[], opts: { seed?: number; instructor?: boolean } = {}): MigrationPair {
  const seed = opts.seed ?? 41;
  const src = new PspLab({ seed, host: 'src', instructor: opts.instructor });
  const dst = new PspLab({ seed: seed + 1, host: 'dst' });
  src.init();
  dst.init();
  const g = src.guestIn('LUPDATE', { policy: 1, data: plain[0] });
  const srcPages = [g.page];
  for (let i = 1; i < plain.length; i++) {
    const p = src.newPage();
    src.hw.memory.write(p, plain[i]);
    src.ok('LAUNCH_UPDATE_DATA', { handle: g.handle, paddr: p, len: 4096 });
    srcPages.push(p);
  }
  src.ok('LAUNCH_MEASURE', { handle: g.handle, paddr: src.alloc(48), len: 48 });
  src.ok('LAUNCH_FINISH', { handle: g.handle });
  const session = src.alloc(128);
  const ss = src.ok('SEND_START', {
    handle: g.handle,
    pdh_cert_paddr: src.put(dst.pdhCert()),
    pdh_cert_len: 2084,
    session_paddr: session,
    session_len: 128,
  });
  return { src, dst, g, srcPages, session, policy: ss.buf.u32(4) };
}

/** RECEIVE_START on `dst` from the pair's session, then ACTIVATE on `asid`; returns the new handle. */
export function receiveStart(m: MigrationPair, asid = 7): number {
  const r = m.dst.ok('RECEIVE_START', {
    policy: m.policy,
    pdh_cert_paddr: m.dst.put(m.src.pdhCert()),
    pdh_cert_len: 2084,
    session_paddr: m.dst.put(m.src.read(m.session, 128)),
    session_len: 128,
  });
  const target = r.buf.u32(0);
  m.dst.ok('ACTIVATE', { handle: target, asid });
  return target;
}
