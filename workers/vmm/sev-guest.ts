/**
 * QEMU's `sev-guest` object (target/i386/sev.c, reference sev-migration-flow.md §4.1–§4.2,
 * §1.7): the launch sequence through KVM_MEMORY_ENCRYPT_OP and QEMU's mirror of the
 * firmware guest state (`SevState`: uninit, launch-update, launch-secret, running,
 * send-update, receive-update).
 *
 * - `init`: KVM_SEV_INIT, and SEV_PLATFORM_STATUS for `info sev`'s api version / build;
 * - `launchStart`: KVM_SEV_LAUNCH_START (no guest-owner certificate or session in the lab:
 *   [U] lab choice, so the firmware opens no channel) → launch-update;
 * - `launchUpdateData`: KVM_SEV_LAUNCH_UPDATE_DATA over the OVMF code flash;
 * - `launchMeasure`: KVM_SEV_LAUNCH_MEASURE twice — len 0 to learn the length (-EIO with
 *   error INVALID_LEN is the expected answer), then for real → launch-secret;
 * - `launchFinish`: KVM_SEV_LAUNCH_FINISH → running.
 */
import type { KvmVm } from '../kvm/kvm.js';
import { SevCmdId, SevStruct } from '../kvm/uapi/kvm.js';
import type { Emitter } from '../host/context.js';
import type { ProcessMemory } from './process-memory.js';
import './events.js';

/** QEMU's SevState names (qapi `SevState`). */
export type SevStateName = 'uninit' | 'launch-update' | 'launch-secret' | 'running' | 'send-update' | 'receive-update';

/** Firmware status INVALID_LEN: the answer to a length query. */
const SEV_RET_INVALID_LEN = 0x04;

/** Result of one KVM_MEMORY_ENCRYPT_OP as QEMU's `sev_ioctl` sees it. */
export interface SevIoctl {
  ret: number;
  error: number;
  /** The sub-command struct after the call. */
  data: Uint8Array;
}

/** The `sev-guest` object of one VMM. */
export class SevGuest {
  state: SevStateName = 'uninit';
  handle = 0;
  apiMajor = 0;
  apiMinor = 0;
  build = 0;
  measurement = '';

  constructor(
    private readonly vm: KvmVm,
    private readonly mem: ProcessMemory,
    private readonly emit: Emitter,
    /** The guest policy (QEMU's default is 0x1, NODBG). */
    readonly policy: number,
  ) {}

  /** `sev_set_guest_state`. */
  setState(to: SevStateName): void {
    if (to === this.state) return;
    this.emit('vmm.sev-state', { from: this.state, to });
    this.state = to;
  }

  /** `sev_ioctl(fd, cmd, data)`: builds `struct kvm_sev_cmd` in process memory and calls KVM. */
  ioctl(id: number, data?: Uint8Array): SevIoctl {
    const C = SevStruct.kvm_sev_cmd;
    const dataAddr = data ? this.mem.alloc(data.length) : 0;
    if (data) this.mem.write(dataAddr, data);
    const cmd = new Uint8Array(C.size);
    const v = new DataView(cmd.buffer);
    v.setUint32(C.id, id, true);
    v.setBigUint64(C.data, BigInt(dataAddr), true);
    v.setUint32(C.sev_fd, 3, true);
    const cmdAddr = this.mem.alloc(C.size);
    this.mem.write(cmdAddr, cmd);
    const ret = this.vm.memoryEncryptOp(cmdAddr);
    const back = this.mem.read(cmdAddr, C.size) ?? cmd;
    const error = new DataView(back.buffer, back.byteOffset).getUint32(C.error, true);
    const out = data ? (this.mem.read(dataAddr, data.length) ?? data) : new Uint8Array(0);
    this.mem.free(cmdAddr);
    if (data) this.mem.free(dataAddr);
    return { ret, error, data: out };
  }

  /** `sev_kvm_init`: KVM_SEV_INIT and the platform's API version. */
  init(): number {
    const r = this.ioctl(SevCmdId.KVM_SEV_INIT);
    if (r.ret !== 0) return r.ret;
    const st = this.vm.module.dev.platformStatus();
    if (st) {
      this.apiMajor = st.apiMajor;
      this.apiMinor = st.apiMinor;
      this.build = st.build;
    }
    return 0;
  }

  /** `sev_launch_start`. */
  launchStart(): number {
    const L = SevStruct.kvm_sev_launch_start;
    const s = new Uint8Array(L.size);
    const v = new DataView(s.buffer);
    v.setUint32(L.handle, 0, true);
    v.setUint32(L.policy, this.policy, true);
    const r = this.ioctl(SevCmdId.KVM_SEV_LAUNCH_START, s);
    if (r.ret !== 0) return r.ret;
    this.handle = new DataView(r.data.buffer, r.data.byteOffset).getUint32(L.handle, true);
    this.setState('launch-update');
    return 0;
  }

  /** `sev_launch_update_data(addr, len)`: encrypt `len` bytes at host-virtual `hva` in place. */
  launchUpdateData(hva: number, len: number): number {
    const L = SevStruct.kvm_sev_launch_update_data;
    const s = new Uint8Array(L.size);
    const v = new DataView(s.buffer);
    v.setBigUint64(L.uaddr, BigInt(hva), true);
    v.setUint32(L.len, len, true);
    return this.ioctl(SevCmdId.KVM_SEV_LAUNCH_UPDATE_DATA, s).ret;
  }

  /** `sev_launch_get_measure`: length query, then the measurement. */
  launchMeasure(): number {
    const L = SevStruct.kvm_sev_launch_update_data;
    const q = this.ioctl(SevCmdId.KVM_SEV_LAUNCH_MEASURE, new Uint8Array(L.size));
    if (q.ret !== 0 && q.error !== SEV_RET_INVALID_LEN) return q.ret;
    const len = new DataView(q.data.buffer, q.data.byteOffset).getUint32(L.len, true);
    const buf = this.mem.alloc(len);
    const s = new Uint8Array(L.size);
    const v = new DataView(s.buffer);
    v.setBigUint64(L.uaddr, BigInt(buf), true);
    v.setUint32(L.len, len, true);
    const r = this.ioctl(SevCmdId.KVM_SEV_LAUNCH_MEASURE, s);
    const m = this.mem.read(buf, len) ?? new Uint8Array(0);
    this.mem.free(buf);
    if (r.ret !== 0) return r.ret;
    this.measurement = base64(m);
    this.emit('vmm.launch-measure', { measurement: this.measurement });
    this.setState('launch-secret');
    return 0;
  }

  /** `sev_launch_finish`. */
  launchFinish(): number {
    const r = this.ioctl(SevCmdId.KVM_SEV_LAUNCH_FINISH);
    if (r.ret !== 0) return r.ret;
    this.setState('running');
    return 0;
  }

  /** KVM_SEV_DBG_DECRYPT of `len` bytes at host-virtual `hva`: the plaintext, or the ioctl failure. */
  dbgDecrypt(hva: number, len: number): Uint8Array | SevIoctl {
    const L = SevStruct.kvm_sev_dbg;
    const dst = this.mem.alloc(len);
    const s = new Uint8Array(L.size);
    const v = new DataView(s.buffer);
    v.setBigUint64(L.src_uaddr, BigInt(hva), true);
    v.setBigUint64(L.dst_uaddr, BigInt(dst), true);
    v.setUint32(L.len, len, true);
    const r = this.ioctl(SevCmdId.KVM_SEV_DBG_DECRYPT, s);
    const out = this.mem.read(dst, len) ?? new Uint8Array(len);
    this.mem.free(dst);
    return r.ret === 0 ? out : r;
  }

  /** The QMP `query-sev` facts. */
  info(): { enabled: boolean; handle: number; state: SevStateName; build: number; apiMajor: number; apiMinor: number; policy: number } {
    return { enabled: this.vm.sev.active, handle: this.handle, state: this.state, build: this.build, apiMajor: this.apiMajor, apiMinor: this.apiMinor, policy: this.policy };
  }
}

/** Base64 without padding tricks (the engine has no `btoa` in every context). */
export function base64(b: Uint8Array): string {
  const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let out = '';
  for (let i = 0; i < b.length; i += 3) {
    const n = (b[i] << 16) | ((b[i + 1] ?? 0) << 8) | (b[i + 2] ?? 0);
    out += A[(n >> 18) & 63] + A[(n >> 12) & 63] + (i + 1 < b.length ? A[(n >> 6) & 63] : '=') + (i + 2 < b.length ? A[n & 63] : '=');
  }
  return out;
}

