/**
 * Debug commands (reference §7, §13): DBG_DECRYPT and DBG_ENCRYPT. Order of checks
 * follows FW `sev_mcmd_dbg_*`: WORKING → src/dst 16-byte aligned (INVALID_ADDRESS) →
 * length a multiple of 16, 0 accepted (INVALID_LEN) → handle → NODBG (POLICY_FAILURE) →
 * active ASID, a pending one counts (INACTIVE). No guest-state check.
 *
 * Teaching point (§14.10): a policy without NODBG lets the host read all guest memory.
 */
import { type CommandBuffer } from '../buffers.js';
import { type CommandResult, type Firmware } from '../firmware.js';
import { Policy } from '../policy.js';
import { SevStatus } from '../status.js';
import { aligned16, checkPlatform, fail, hex, isResult, lookupGuest, ok, type CommandHandler } from './common.js';
import { guestAccess } from './launch.js';

function debugCrypt(fw: Firmware, buf: CommandBuffer, encrypt: boolean): CommandResult {
  const cmd = encrypt ? 'DBG_ENCRYPT' : 'DBG_DECRYPT';
  const bad = checkPlatform(fw, cmd);
  if (bad) return bad;
  const src = buf.u64(8);
  const dst = buf.u64(16);
  if (!aligned16(src) || !aligned16(dst)) return fail(SevStatus.INVALID_ADDRESS, `src ${hex(src)} / dst ${hex(dst)} not 16-byte aligned`);
  const len = buf.u32(24);
  if (!aligned16(len)) return fail(SevStatus.INVALID_LEN, `len ${len} not a multiple of 16`);
  const g = lookupGuest(fw, buf.u32(0));
  if (isResult(g)) return g;
  if (g.policy & Policy.NODBG) return fail(SevStatus.POLICY_FAILURE, `guest ${g.handle} policy forbids debugging (NODBG)`);
  if (g.activation === 'inactive') return fail(SevStatus.INACTIVE, `guest ${g.handle} is not activated`);
  const srcSpa = fw.spa(src);
  const dstSpa = fw.spa(dst);
  const { controller } = fw.hw;
  // Guest side through the ASID key, host side plain; both spans checked before writing.
  const data =
    srcSpa === undefined ? undefined : encrypt ? controller.memory.read(srcSpa, len) : controller.read(srcSpa, len, guestAccess(g));
  if (!data || dstSpa === undefined || !controller.memory.contains(dstSpa, len)) {
    return fail(SevStatus.INVALID_ADDRESS, `${hex(src)} or ${hex(dst)} (+${len}) outside RAM`);
  }
  if (encrypt) controller.write(dstSpa, data, guestAccess(g));
  else controller.memory.write(dstSpa, data);
  data.fill(0);
  return ok(`guest ${g.handle}: ${len} bytes ${encrypt ? 'encrypted into guest' : 'decrypted for the host'} (${hex(srcSpa!)} → ${hex(dstSpa)})`, len);
}

/** DBG_DECRYPT (§13): guest memory at src, decrypted with the guest key, to host memory at dst. */
export const dbgDecrypt: CommandHandler = (fw, buf) => debugCrypt(fw, buf, false);

/** DBG_ENCRYPT (§13): host data at src, encrypted with the guest key, into guest memory at dst. */
export const dbgEncrypt: CommandHandler = (fw, buf) => debugCrypt(fw, buf, true);
