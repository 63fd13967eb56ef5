/**
 * The `sev-migration` scenario parameters (schema in docs/scenarios.md) and their
 * validation; every error names the path of the first problem (`params.link.latencyMs:
 * expected 0..1000, found -1`).
 */
import { DocumentError, isObject, pathJoin } from '../../core/documents.js';
import type { Json } from '../../core/events.js';
import type { SevHostOptions } from '../../host/sev-host.js';
import { parseSizeMiB } from '../../migration/source/migrate-params.js';
import { parseSevBootParams } from '../sev-boot/params.js';

/** A guest-physical range (`gpa` page aligned). */
export interface GpaRange {
  gpa: number;
  npages: number;
}

/** What a man in the middle does to the stream. */
export interface TamperSpec {
  mode: 'flip-bit' | 'replay' | 'relocate' | 'reorder' | 'unknown-record';
  /** flip-bit / relocate / reorder / unknown-record: the n-th encrypted page record (from 1). */
  packet: number;
  /** replay: the guest range whose first copies are kept to be replayed later. */
  range: GpaRange;
}

/** Parsed parameters. */
export interface MigrationScenarioParams {
  guest: SevHostOptions;
  link: { bandwidthMbps: number; latencyMs: number };
  target: { incoming: 'listen' | 'defer'; autostart: boolean; platform: 'genuine' | 'rogue' };
  migrate: {
    startAfterMs: number;
    downtimeLimitMs: number | undefined;
    maxBandwidth: string | undefined;
    autoConverge: boolean;
    onFailure: 'finish' | 'cancel';
    certs: 'key-server' | 'as-exported';
  };
  hop2: { startAfterMs: number; platform: 'genuine' | 'rogue' } | null;
  faults: {
    tamper: TamperSpec | null;
    sharedList: { drop: GpaRange[]; add: GpaRange[] };
    cutLinkAfterMs: number | null;
    cancelAfterMs: number | null;
  };
  /** Virtual time the last target runs after it resumed before the run counts as finished. */
  runAfterMs: number;
  instructor: boolean;
}

type Obj = Record<string, Json>;

function obj(v: Json | undefined, path: string): Obj {
  if (v === undefined) return {};
  if (!isObject(v)) throw new DocumentError(path, 'expected an object');
  return v;
}

function known(o: Obj, path: string, keys: string[]): void {
  for (const k of Object.keys(o)) if (!keys.includes(k)) throw new DocumentError(pathJoin(path, k), 'unknown field');
}

function num(o: Obj, k: string, path: string, min: number, max: number, dflt: number, int = false): number {
  const v = o[k];
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v) || (int && !Number.isInteger(v))) throw new DocumentError(pathJoin(path, k), int ? 'expected an integer' : 'expected a number');
  if (v < min || v > max) throw new DocumentError(pathJoin(path, k), `expected ${min}..${max}, found ${v}`);
  return v;
}

function bool(o: Obj, k: string, path: string, dflt: boolean): boolean {
  const v = o[k];
  if (v === undefined) return dflt;
  if (typeof v !== 'boolean') throw new DocumentError(pathJoin(path, k), 'expected true or false');
  return v;
}

function oneOf<T extends string>(o: Obj, k: string, path: string, values: readonly T[], dflt: T): T {
  const v = o[k];
  if (v === undefined) return dflt;
  if (typeof v !== 'string' || !values.includes(v as T)) throw new DocumentError(pathJoin(path, k), `expected one of ${values.map((x) => `"${x}"`).join(', ')}`);
  return v as T;
}

function gpa(v: Json | undefined, path: string): number {
  const n = typeof v === 'string' && /^0x[0-9a-f]+$/i.test(v) ? parseInt(v, 16) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0 || n % 4096 !== 0) throw new DocumentError(path, 'expected a page-aligned address (number or "0x..." string)');
  return n;
}

function ranges(v: Json | undefined, path: string): GpaRange[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new DocumentError(path, 'expected an array');
  return v.map((r, i) => {
    const p = pathJoin(path, i);
    const o = obj(r, p);
    known(o, p, ['gpa', 'npages']);
    return { gpa: gpa(o.gpa, pathJoin(p, 'gpa')), npages: num(o, 'npages', p, 1, 1 << 20, 1, true) };
  });
}

function tamper(v: Json | undefined, path: string): TamperSpec | null {
  if (v === undefined || v === null) return null;
  const o = obj(v, path);
  known(o, path, ['mode', 'packet', 'range']);
  const mode = oneOf(o, 'mode', path, ['flip-bit', 'replay', 'relocate', 'reorder', 'unknown-record'] as const, 'flip-bit');
  const r = o.range === undefined ? [{ gpa: 64 * 1024 * 1024, npages: 1024 }] : ranges([o.range], pathJoin(path, 'range'));
  return { mode, packet: num(o, 'packet', path, 1, 1e9, 100, true), range: r[0] };
}

/** Validates `params` (DocumentError with a path on the first problem). */
export function parseMigrationParams(params: Json, path: string): MigrationScenarioParams {
  const p = obj(params, path);
  known(p, path, ['guest', 'link', 'target', 'migrate', 'hop2', 'faults', 'runAfterMs', 'instructor']);
  const guest = parseSevBootParams(p.guest ?? { abi: 'upstream' }, pathJoin(path, 'guest'));
  const lp = pathJoin(path, 'link');
  const link = obj(p.link, lp);
  known(link, lp, ['bandwidthMbps', 'latencyMs']);
  const tp = pathJoin(path, 'target');
  const t = obj(p.target, tp);
  known(t, tp, ['incoming', 'autostart', 'platform']);
  const mp = pathJoin(path, 'migrate');
  const m = obj(p.migrate, mp);
  known(m, mp, ['startAfterMs', 'downtimeLimitMs', 'maxBandwidth', 'autoConverge', 'onFailure', 'certs']);
  const mb = m.maxBandwidth;
  if (mb !== undefined && (typeof mb !== 'string' || parseSizeMiB(mb) === undefined)) throw new DocumentError(pathJoin(mp, 'maxBandwidth'), 'expected a size such as "128M" or "1G"');
  const hp = pathJoin(path, 'hop2');
  let hop2: MigrationScenarioParams['hop2'] = null;
  if (p.hop2 !== undefined && p.hop2 !== null && p.hop2 !== false) {
    const h = p.hop2 === true ? {} : obj(p.hop2, hp);
    known(h, hp, ['startAfterMs', 'platform']);
    hop2 = { startAfterMs: num(h, 'startAfterMs', hp, 0, 1e7, 1000), platform: oneOf(h, 'platform', hp, ['genuine', 'rogue'] as const, 'genuine') };
  }
  const fp = pathJoin(path, 'faults');
  const f = obj(p.faults, fp);
  known(f, fp, ['tamper', 'sharedList', 'cutLinkAfterMs', 'cancelAfterMs']);
  const slp = pathJoin(fp, 'sharedList');
  const sl = obj(f.sharedList, slp);
  known(sl, slp, ['drop', 'add']);
  const opt = (k: string): number | null => (f[k] === undefined || f[k] === null ? null : num(f, k, fp, 0, 1e7, 0));
  return {
    guest,
    link: { bandwidthMbps: num(link, 'bandwidthMbps', lp, 0.001, 1e6, 10_000), latencyMs: num(link, 'latencyMs', lp, 0, 10_000, 0.2) },
    target: { incoming: oneOf(t, 'incoming', tp, ['listen', 'defer'] as const, 'defer'), autostart: bool(t, 'autostart', tp, true), platform: oneOf(t, 'platform', tp, ['genuine', 'rogue'] as const, 'genuine') },
    migrate: {
      startAfterMs: num(m, 'startAfterMs', mp, 0, 1e7, 1000),
      downtimeLimitMs: m.downtimeLimitMs === undefined ? undefined : num(m, 'downtimeLimitMs', mp, 0, 2_000_000, 300, true),
      maxBandwidth: mb,
      autoConverge: bool(m, 'autoConverge', mp, false),
      onFailure: oneOf(m, 'onFailure', mp, ['finish', 'cancel'] as const, 'finish'),
      certs: oneOf(m, 'certs', mp, ['key-server', 'as-exported'] as const, 'key-server'),
    },
    hop2,
    faults: {
      tamper: tamper(f.tamper, pathJoin(fp, 'tamper')),
      sharedList: { drop: ranges(sl.drop, pathJoin(slp, 'drop')), add: ranges(sl.add, pathJoin(slp, 'add')) },
      cutLinkAfterMs: opt('cutLinkAfterMs'),
      cancelAfterMs: opt('cancelAfterMs'),
    },
    runAfterMs: num(p, 'runAfterMs', path, 0, 1e7, 1000),
    instructor: bool(p, 'instructor', path, false),
  };
}
