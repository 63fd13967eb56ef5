/**
 * The non-mailbox steps of psp-script v1 (reference §17.4): `mem` (guest memory through
 * the guest's key or raw), `host` (WBINVD, plus two lab extensions for the host operator),
 * `owner` (the guest owner's session and secret tools) and `blob` (constants and bit flips).
 * Each returns its `out`; anything that cannot run is a {@link ScriptError}.
 */
import { buildLaunchSecret, buildOwnerSession, type RandomSource } from '../crypto/index.js';
import { labAmdRoot, withSignedCek } from '../certs/index.js';
import { type Json } from '../../core/events.js';
import { type ScriptPlatform } from './platform.js';
import { hexOut, MAX_BLOB_LEN, ScriptError, type Values } from './values.js';

type Out = Record<string, Json>;

function num(values: Values, step: Record<string, Json>, key: string): bigint {
  return values.number(step[key], key);
}

/** Only the keys listed (plus the common ones) may appear in a step. */
function onlyKeys(step: Record<string, Json>, kind: string, allowed: readonly string[]): void {
  for (const k of Object.keys(step)) {
    if (!['on', 'save', 'expect', 'note', kind, ...allowed].includes(k)) throw new ScriptError(`${kind} step has no key ${JSON.stringify(k)}`);
  }
}

/** `mem` read/write, view `guest` (C-bit, the guest's VEK + tweak) or `host` (raw DRAM bytes). */
export function runMemStep(p: ScriptPlatform, step: Record<string, Json>, values: Values): Out {
  const op = step.mem;
  if (op !== 'read' && op !== 'write') throw new ScriptError(`unknown mem operation ${JSON.stringify(op)}`);
  onlyKeys(step, 'mem', op === 'read' ? ['handle', 'gpa', 'len', 'view'] : ['handle', 'gpa', 'view', 'data']);
  const handleN = num(values, step, 'handle');
  const handle = handleN <= 0xffffffffn ? Number(handleN) : -1;
  const gpa = num(values, step, 'gpa');
  const view = step.view;
  if (view !== 'guest' && view !== 'host') throw new ScriptError(`view must be "guest" or "host", found ${JSON.stringify(view ?? null)}`);
  const data = op === 'write' ? values.blob(step.data, 'data') : undefined;
  const lenN = op === 'read' ? num(values, step, 'len') : BigInt(data!.length);
  if (lenN > BigInt(MAX_BLOB_LEN)) throw new ScriptError(`len ${lenN} is above the runner's limit`);
  const len = Number(lenN);
  const spa = p.guestRange(handle, gpa, len);
  if (view === 'host') {
    if (data) return p.hw.memory.write(spa, data) ? {} : fail('write failed');
    return { data: hexOut(p.hw.memory.read(spa, len) ?? fail('read failed')) };
  }
  const gv = p.psp.guestView(handle);
  if (!gv) throw new ScriptError(`platform ${p.name}: handle ${handle} has no guest context (no key to see through)`);
  if (data) return gv.write(spa, data) ? {} : fail('write failed');
  return { data: hexOut(gv.read(spa, len) ?? fail('read failed')) };
}

function fail(msg: string): never {
  throw new ScriptError(msg);
}

/**
 * `host` steps: `wbinvd` (§17.4). Lab extensions for the host operator ([U], not in §17.4):
 * `amd_certs` → out `{amd_certs}` (the lab AMD root's ASK ‖ ARK, SEND_START's amd_certs);
 * `sign_cek` with `id` (GET_ID output) and `chain` (PDH_CERT_EXPORT chain) → out
 * `{plat_certs}` (the chain with the key server's ASK-signed CEK, for a SEV-bit policy).
 */
export function runHostStep(p: ScriptPlatform, step: Record<string, Json>, values: Values): Out {
  switch (step.host) {
    case 'wbinvd':
      onlyKeys(step, 'host', []);
      p.hw.wbinvd();
      return {};
    case 'amd_certs':
      onlyKeys(step, 'host', []);
      return { amd_certs: hexOut(labAmdRoot().amdChain) };
    case 'sign_cek': {
      onlyKeys(step, 'host', ['id', 'chain']);
      const r = withSignedCek(labAmdRoot(), values.blob(step.id, 'id'), values.blob(step.chain, 'chain'));
      if (!r.ok) throw new ScriptError(`sign_cek: ${r.reason}`);
      return { plat_certs: hexOut(r.platCerts) };
    }
    default:
      throw new ScriptError(`unknown host step ${JSON.stringify(step.host ?? null)}`);
  }
}

/** `owner` steps: the guest owner's `session` (GODH + session blob, §9) and `secret` (§11). */
export function runOwnerStep(step: Record<string, Json>, values: Values, rng: RandomSource): Out {
  const blob16 = (key: string): Uint8Array => {
    const b = values.blob(step[key], key);
    if (b.length !== 16) throw new ScriptError(`${key} must be 16 bytes, found ${b.length}`);
    return b;
  };
  const opt16 = (key: string): Uint8Array | undefined => (step[key] === undefined ? undefined : blob16(key));
  if (step.owner === 'session') {
    onlyKeys(step, 'owner', ['pdh_cert', 'policy', 'tek', 'tik', 'nonce', 'wrap_iv']);
    const policy = num(values, step, 'policy');
    if (policy > 0xffffffffn) throw new ScriptError('policy does not fit 32 bits');
    const r = buildOwnerSession({
      pdhCert: values.blob(step.pdh_cert, 'pdh_cert'),
      policy: Number(policy),
      tek: blob16('tek'),
      tik: blob16('tik'),
      nonce: opt16('nonce'),
      wrapIv: opt16('wrap_iv'),
      rng,
    });
    if (!r.ok) throw new ScriptError(`owner session: ${r.reason}`);
    return { dh_cert: hexOut(r.dhCert), session: hexOut(r.session) };
  }
  if (step.owner === 'secret') {
    onlyKeys(step, 'owner', ['tek', 'tik', 'measure', 'iv', 'flags', 'data']);
    const flags = step.flags === undefined ? 0n : num(values, step, 'flags');
    if (flags > 0xffffffffn) throw new ScriptError('flags does not fit 32 bits');
    const r = buildLaunchSecret({
      tek: blob16('tek'),
      tik: blob16('tik'),
      measure: values.blob(step.measure, 'measure'),
      iv: blob16('iv'),
      flags: Number(flags),
      data: values.blob(step.data, 'data'),
    });
    if (!r.ok) throw new ScriptError(`owner secret: ${r.reason}`);
    return { hdr: hexOut(r.hdr), trans: hexOut(r.trans) };
  }
  throw new ScriptError(`unknown owner step ${JSON.stringify(step.owner ?? null)}`);
}

/** `blob` steps: `set` names a constant; `flip` inverts bit K (bit K mod 8 of byte ⌊K/8⌋). */
export function runBlobStep(step: Record<string, Json>, values: Values): Out {
  if (step.blob === 'set') {
    onlyKeys(step, 'blob', ['data']);
    return { data: hexOut(values.blob(step.data, 'data')) };
  }
  if (step.blob === 'flip') {
    onlyKeys(step, 'blob', ['data', 'bit']);
    const data = values.blob(step.data, 'data');
    const bit = num(values, step, 'bit');
    if (bit >= BigInt(data.length * 8)) throw new ScriptError(`bit ${bit} is beyond the ${data.length}-byte blob`);
    const k = Number(bit);
    data[k >> 3] ^= 1 << (k & 7);
    return { data: hexOut(data) };
  }
  throw new ScriptError(`unknown blob step ${JSON.stringify(step.blob ?? null)}`);
}
