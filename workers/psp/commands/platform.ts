/**
 * Platform commands (reference §2, §4, §13): INIT, SHUTDOWN, PLATFORM_RESET,
 * PLATFORM_STATUS, DF_FLUSH, GET_ID. Order of checks follows FW `sev_mcmd_*`.
 */
import { generateOca, generatePdh, generatePek } from '../certs/index.js';
import { type CommandBuffer } from '../buffers.js';
import { CONFIG_ES, SEV_ES_TMR_SIZE } from '../firmware.js';
import { PlatformState } from '../platform-state.js';
import { SevStatus } from '../status.js';
import { checkPlatform, fail, ok, type CommandHandler } from './common.js';

/** INIT flags bits that must be zero: FW checks the low 16 bits minus ES (`mbz_flags`). */
const INIT_MBZ_FLAGS = 0xfffe;
/** GET_ID's output on one socket (§13). */
const GET_ID_LEN = 64;

/**
 * INIT (§2): UNINIT → INIT. Loads the persistent identity, derives the CEK, makes OCA,
 * PEK and PDH where missing (a stored PDH is kept: SHUTDOWN + INIT keeps the PDH), marks
 * every ASID dirty and clears the cores' WBINVD_DONE flags, so a WBINVD and DF_FLUSH must
 * follow before the first ACTIVATE.
 */
export const init: CommandHandler = (fw, buf) => {
  const bad = checkPlatform(fw, 'INIT');
  if (bad) return bad;
  const flags = buf.u32(0);
  if ((flags & INIT_MBZ_FLAGS) !== 0 || buf.u32(4) !== 0) {
    return fail(SevStatus.INVALID_CONFIG, `reserved INIT flags or fields set (flags=0x${flags.toString(16)})`);
  }
  const es = (flags & CONFIG_ES) !== 0;
  if (es) {
    // [U] lab order: the FW reserves the TMR after it has made missing keys; the lab checks
    // it first so a failed INIT leaves the persistent identity untouched. Same statuses.
    const tmr = buf.u64(8);
    const tmrLen = buf.u32(16);
    if (fw.hw.stripCBit(tmr) % BigInt(SEV_ES_TMR_SIZE) !== 0n) return fail(SevStatus.INVALID_ADDRESS, 'TMR not 1 MiB aligned');
    if (tmrLen !== SEV_ES_TMR_SIZE) return fail(SevStatus.INVALID_LEN, `TMR length ${tmrLen}, must be 1 MiB`);
    if (!fw.canWriteHost(tmr, tmrLen)) return fail(SevStatus.INVALID_ADDRESS, 'TMR outside RAM');
  }
  const made: string[] = [];
  const id = { ...fw.identity };
  if (!id.oca) {
    id.oca = generateOca(fw.rng, fw.api);
    id.pek = undefined;
    made.push('OCA');
  }
  if (!id.pek) {
    id.pek = generatePek(fw.rng, fw.api, id.oca, fw.cek);
    id.pdh = undefined;
    made.push('PEK');
  }
  if (!id.pdh) {
    id.pdh = generatePdh(fw.rng, fw.api, id.pek);
    made.push('PDH');
  }
  fw.identity = id;
  fw.asids.markAllDirty();
  fw.hw.invalidateAllAsids();
  fw.hw.clearWbinvdDone();
  fw.configFlags = es ? CONFIG_ES : 0;
  fw.state = PlatformState.INIT;
  return ok(`${es ? 'SEV-ES ' : ''}platform initialised${made.length ? `; new ${made.join(', ')}` : ''}; all ASIDs dirty`);
};

/** SHUTDOWN (§2): any state → UNINIT; every guest context is destroyed. */
export const shutdown: CommandHandler = (fw) => {
  const n = fw.guests.count;
  fw.guests.clear();
  // Every ASID a destroyed guest used may still have its cache lines: all dirty, as INIT leaves them.
  fw.asids.markAllDirty();
  fw.hw.invalidateAllAsids();
  fw.hw.controller.clearKeys();
  fw.configFlags = 0;
  fw.state = PlatformState.UNINIT;
  return ok(n ? `platform shut down; ${n} guest context(s) destroyed` : 'platform shut down');
};

/** PLATFORM_RESET (§2): UNINIT only; erases OCA, PEK, PDH and the owner flag. */
export const platformReset: CommandHandler = (fw) => {
  const bad = checkPlatform(fw, 'PLATFORM_RESET');
  if (bad) return bad;
  fw.identity = { oca: undefined, pek: undefined, pdh: undefined, externallyOwned: false };
  return ok('persistent identity (OCA, PEK, PDH) erased');
};

/** PLATFORM_STATUS (§2): fills the 12-byte buffer; UNINIT reports no owner, no ES, no guests. */
export const platformStatus: CommandHandler = (fw, buf) => {
  buf.bytes.fill(0);
  const uninit = fw.state === PlatformState.UNINIT;
  buf.setU8(0, fw.version.apiMajor);
  buf.setU8(1, fw.version.apiMinor);
  buf.setU8(2, fw.state);
  buf.setU8(3, !uninit && fw.identity.externallyOwned ? 1 : 0);
  buf.setU16(4, uninit ? 0 : fw.configFlags & CONFIG_ES);
  buf.setU8(7, fw.version.build);
  buf.setU32(8, uninit ? 0 : fw.guests.count);
  return ok(`api ${fw.version.apiMajor}.${fw.version.apiMinor} build ${fw.version.build}, state ${fw.state}, ${uninit ? 0 : fw.guests.count} guest(s)`);
};

/**
 * DF_FLUSH (§13): no platform-state check. Needs WBINVD on every core since the flags
 * were last cleared (WBINVD_REQUIRED); then every dirty ASID becomes clean.
 */
export const dfFlush: CommandHandler = (fw) => {
  if (!fw.hw.isWbinvdDone()) return fail(SevStatus.WBINVD_REQUIRED, 'no WBINVD on all cores since the ASIDs became dirty');
  const n = fw.asids.flushDirty();
  return ok(`data fabric flushed; ${n} dirty ASID(s) now clean`);
};

/** GET_ID (§13): no state check; len ≥ 64 (INVALID_LEN, 64 written back); writes the chip ID. */
export const getId: CommandHandler = (fw, buf: CommandBuffer) => {
  const paddr = buf.u64(0);
  const len = buf.u32(8);
  if (len < GET_ID_LEN) {
    buf.setU32(8, GET_ID_LEN);
    return fail(SevStatus.INVALID_LEN, `len ${len} too small, needs ${GET_ID_LEN}`);
  }
  if (!fw.writeHost(paddr, fw.fuses.chipId.subarray(0, GET_ID_LEN))) return fail(SevStatus.INVALID_ADDRESS, 'id buffer outside RAM');
  buf.setU32(8, GET_ID_LEN);
  return ok(`chip id written (${GET_ID_LEN} bytes)`);
};
