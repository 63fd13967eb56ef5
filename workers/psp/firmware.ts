/**
 * The PSP firmware's private state and the helpers every command handler uses: platform
 * state (§2), persistent identity (§8.1), guest slots (§3), the ASID table (§13), the
 * TRNG, and the firmware's copies to and from host memory.
 *
 * Nothing in here is reachable from outside the PSP component except through the mailbox
 * (psp.ts); handlers receive a `Firmware` and a `CommandBuffer` and return a result.
 */
import { type P384KeyPair, type RandomSource } from './crypto/index.js';
import { deriveCek, type ApiVersion, type ChipFuses, type PlatformKey, type TrustedArk } from './certs/index.js';
import { AsidTable } from './asid.js';
import { addrToNumber } from './buffers.js';
import { GuestTable } from './guest-table.js';
import { type SevHardware } from './hardware.js';
import { PlatformState, type PlatformStateValue } from './platform-state.js';
import { type PspAhead } from './ahead/index.js';

/** The firmware's version: PLATFORM_STATUS api_major/api_minor/build, the measurement, PEK certificates. */
export interface FirmwareVersion {
  readonly apiMajor: number;
  readonly apiMinor: number;
  readonly build: number;
}

/** [U] lab choice: the version of the firmware source the reference cites (Genoa SEV FW 1.55.25). */
export const LAB_FIRMWARE_VERSION: FirmwareVersion = { apiMajor: 1, apiMinor: 55, build: 25 };

/** Persistent state (FW `sev_persistent_t`): survives SHUTDOWN, erased by PLATFORM_RESET. */
export interface PlatformIdentity {
  oca: PlatformKey | undefined;
  pek: PlatformKey | undefined;
  pdh: PlatformKey | undefined;
  /** Owner flag: a PEK_CERT_IMPORT happened. */
  externallyOwned: boolean;
}

/** PLATFORM_STATUS config bit 0 / INIT flags bit 0: SEV-ES initialised. */
export const CONFIG_ES = 1;

/** Size of the firmware's scratch buffer (the §10.2 limit of guest_len / trans_len). */
export const FW_SCRATCH_LEN = 0x5000;

/** Size of the SEV-ES trusted memory region INIT takes (1 MiB, FW `SEV_ES_TMR_SIZE`). */
export const SEV_ES_TMR_SIZE = 1 << 20;

/** The keys of one send session, for the instructor's key log. */
export interface SendKeys {
  handle: number;
  policy: number;
  nonce: Uint8Array;
  tek: Uint8Array;
  tik: Uint8Array;
}

/** What a handler returns. */
export interface CommandResult {
  status: number;
  /** A short, non-secret description for the event log. */
  summary: string;
  /** Bytes of guest data processed (the cost model's input). */
  bytes?: number;
}

/** The firmware of one platform. */
export class Firmware {
  state: PlatformStateValue = PlatformState.UNINIT;
  /** INIT flags kept while initialised (bit 0 = ES). */
  configFlags = 0;
  identity: PlatformIdentity = { oca: undefined, pek: undefined, pdh: undefined, externallyOwned: false };
  readonly guests = new GuestTable();
  readonly asids: AsidTable;
  /** Migration pages computed ahead (psp/ahead/); SEND/RECEIVE_UPDATE_DATA take from it when the inputs match. */
  ahead: PspAhead | undefined;
  /**
   * The firmware's private scratch memory (FW: 0x5000 bytes, the limit of §10.2's
   * guest_len), twice: the transport data and the plaintext of one packet. The per-page
   * commands work in it instead of allocating.
   */
  readonly scratch = { transport: new Uint8Array(FW_SCRATCH_LEN), plain: new Uint8Array(FW_SCRATCH_LEN) };
  private cekPair: P384KeyPair | undefined;

  constructor(
    readonly hw: SevHardware,
    /** The TRNG (a fork of the run's SeededRng). */
    readonly rng: RandomSource,
    readonly version: FirmwareVersion,
    readonly fuses: ChipFuses,
    /** The AMD root key this firmware trusts (SEND_START with the SEV policy bit). */
    readonly trustedArk: TrustedArk,
    /** Instructor mode only: told the keys of every send session (key-log.ts). */
    readonly onSendKeys?: (k: SendKeys) => void,
  ) {
    this.asids = new AsidTable(hw.cpu.maxAsid);
  }

  /** The API version stamped into certificates. */
  get api(): ApiVersion {
    return { apiMajor: this.version.apiMajor, apiMinor: this.version.apiMinor };
  }

  /** The CEK, derived from the chip-unique secret (deterministic, so computed once). */
  get cek(): P384KeyPair {
    this.cekPair ??= deriveCek(this.fuses.chipSecret);
    return this.cekPair;
  }

  /** SEV-ES was enabled by INIT. */
  get esEnabled(): boolean {
    return (this.configFlags & CONFIG_ES) !== 0;
  }

  /** A physical address from a command buffer as a number, C-bit stripped; undefined if never RAM. */
  spa(addr: bigint): number | undefined {
    return addrToNumber(this.hw.stripCBit(addr));
  }

  /** FW `copy_from_x86`: `len` bytes of host memory at `addr` (C-bit clear), or undefined (INVALID_ADDRESS). */
  readHost(addr: bigint, len: number): Uint8Array | undefined {
    const spa = this.spa(addr);
    return spa === undefined ? undefined : this.hw.memory.read(spa, len);
  }

  /** FW `copy_from_x86` into PSP memory `out` (no allocation); false (INVALID_ADDRESS) if not RAM. */
  readHostInto(addr: bigint, out: Uint8Array): boolean {
    const spa = this.spa(addr);
    return spa !== undefined && this.hw.memory.readInto(spa, out);
  }

  /** True when `copy_to_x86` of `len` bytes at `addr` would succeed (checked before any state changes). */
  canWriteHost(addr: bigint, len: number): boolean {
    const spa = this.spa(addr);
    return spa !== undefined && this.hw.memory.contains(spa, len);
  }

  /** FW `copy_to_x86`: writes plain bytes to host memory; false if not RAM. */
  writeHost(addr: bigint, data: Uint8Array): boolean {
    const spa = this.spa(addr);
    return spa !== undefined && this.hw.memory.write(spa, data);
  }
}
