/**
 * What LAUNCH_START and RECEIVE_START share (reference §7, §9.3, §13): opening the
 * session, the policy checks, key sharing and making the new guest context. Order of
 * checks follows FW `sev_mcmd_launch_start` / `sev_mcmd_receive_start`:
 *
 * 1. platform INIT or WORKING;
 * 2. with a session (RECEIVE_START always; LAUNCH_START when dh_cert_paddr ≠ 0):
 *    session_len == 128 (INVALID_LEN) → read session → cert len == 2084 (INVALID_LEN) →
 *    read cert → cert body (INVALID_CERTIFICATE) → WRAP_MAC, POLICY_MAC (BAD_MEASUREMENT)
 *    → API version ≥ policy's, reserved bits 0 (POLICY_FAILURE);
 * 3. handle ≠ 0 (key sharing): that guest must exist (INVALID_GUEST), have the same policy
 *    and not NOKS (POLICY_FAILURE);
 * 4. a free slot (RESOURCE_LIMIT);
 * 5. ES policy on a platform INIT'ed without ES → UNSUPPORTED;
 * 6. commit: new context, platform → WORKING, handle written back.
 */
import { MemoryCipher, LaunchDigest, openSessionChannel, TransportKeys } from '../crypto/index.js';
import { SEV_CERT_LEN } from '../certs/index.js';
import { type CommandBuffer } from '../buffers.js';
import { type CommandResult, type Firmware } from '../firmware.js';
import { type GuestChannel } from '../guest-table.js';
import { GuestState, type GuestStateValue } from '../guest-state.js';
import { PlatformState } from '../platform-state.js';
import { apiSatisfies, describePolicy, Policy } from '../policy.js';
import { SevStatus } from '../status.js';
import { checkPlatform, cryptoFailure, fail, ok } from './common.js';

/** Size of the session blob (§9.3). */
const SESSION_LEN = 128;

/** Opens the session of a START command buffer (offsets of §5, shared by both commands). */
function openSession(fw: Firmware, buf: CommandBuffer, policy: number): GuestChannel | CommandResult {
  const sessionLen = buf.u32(32);
  if (sessionLen !== SESSION_LEN) return fail(SevStatus.INVALID_LEN, `session_len ${sessionLen}, must be ${SESSION_LEN}`);
  const session = fw.readHost(buf.u64(24), SESSION_LEN);
  if (!session) return fail(SevStatus.INVALID_ADDRESS, 'session outside RAM');
  const certLen = buf.u32(16);
  if (certLen !== SEV_CERT_LEN) return fail(SevStatus.INVALID_LEN, `certificate length ${certLen}, must be ${SEV_CERT_LEN}`);
  const cert = fw.readHost(buf.u64(8), SEV_CERT_LEN);
  if (!cert) return fail(SevStatus.INVALID_ADDRESS, 'certificate outside RAM');
  const opened = openSessionChannel({ pdhPrivateKey: fw.identity.pdh!.privateKey, peerCert: cert, session, policy });
  if (!opened.ok) return cryptoFailure(opened);
  if (!apiSatisfies(policy, fw.version.apiMajor, fw.version.apiMinor)) {
    opened.keys.wipe();
    return fail(SevStatus.POLICY_FAILURE, `policy needs a newer API than ${fw.version.apiMajor}.${fw.version.apiMinor}`);
  }
  if ((policy & Policy.RESERVED_MASK) !== 0) {
    opened.keys.wipe();
    return fail(SevStatus.POLICY_FAILURE, 'reserved policy bits set');
  }
  return { tek: opened.tek, tik: opened.tik, keys: opened.keys, nonce: session.slice(0, 16) };
}

/** LAUNCH_START (with `withSession` from dh_cert_paddr) and RECEIVE_START (always a session). */
export function startGuest(
  fw: Firmware,
  buf: CommandBuffer,
  cmd: 'LAUNCH_START' | 'RECEIVE_START',
  withSession: boolean,
): CommandResult {
  const bad = checkPlatform(fw, cmd);
  if (bad) return bad;
  const policy = buf.u32(4);
  const shared = buf.u32(0);
  let channel: GuestChannel | undefined;
  if (withSession) {
    const r = openSession(fw, buf, policy);
    if ('status' in r) return r;
    channel = r;
  }
  const failWith = (r: CommandResult): CommandResult => {
    channel?.keys.wipe();
    return r;
  };
  let vek: Uint8Array | undefined;
  if (shared !== 0) {
    const other = fw.guests.get(shared);
    if (!other) return failWith(fail(SevStatus.INVALID_GUEST, `no guest ${shared} to share a key with`));
    if (other.policy !== policy || (other.policy & Policy.NOKS) !== 0) {
      return failWith(fail(SevStatus.POLICY_FAILURE, `guest ${shared} does not allow key sharing with this policy`));
    }
    vek = other.vek;
  }
  const handle = fw.guests.freeHandle();
  if (handle === undefined) return failWith(fail(SevStatus.RESOURCE_LIMIT, 'no free guest slot'));
  const es = (policy & Policy.ES) !== 0;
  if (es && !fw.esEnabled) return failWith(fail(SevStatus.UNSUPPORTED, 'ES policy on a platform without SEV-ES'));
  // Commit: nothing below can fail.
  vek = vek ? vek.slice() : fw.rng.bytes(16);
  if (!channel) {
    // LAUNCH_START without a guest owner: TEK and TIK stay all-zero (§9.3).
    const zero = new Uint8Array(16);
    channel = { tek: zero, tik: zero.slice(), keys: new TransportKeys(zero, zero) };
  }
  const state: GuestStateValue = cmd === 'LAUNCH_START' ? GuestState.LUPDATE : GuestState.RUPDATE;
  fw.guests.add({
    handle,
    policy,
    state,
    es,
    asid: 0,
    activation: 'inactive',
    vek,
    cipher: new MemoryCipher(vek),
    channel,
    digest: new LaunchDigest(),
    measurement: undefined,
  });
  fw.state = PlatformState.WORKING;
  buf.setU32(0, handle);
  const how = shared ? `sharing the key of guest ${shared}` : 'fresh VEK';
  const owner = cmd === 'LAUNCH_START' ? (withSession ? 'guest-owner session' : 'no guest owner') : 'session verified';
  return ok(`guest ${handle} created (${owner}, ${how}, policy ${describePolicy(policy)})`);
}
