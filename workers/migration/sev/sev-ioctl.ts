/**
 * How the migration code of the VMM reaches the PSP (QEMU target/i386/sev.c `sev_ioctl`,
 * `sev_platform_ioctl`; reference psp-sev-api.md §12):
 *
 * - `KVM_MEMORY_ENCRYPT_OP` with a persistent `struct kvm_sev_cmd` and persistent
 *   sub-command, header and transport buffers in the VMM's heap, so the per-page
 *   SEND_UPDATE_DATA / RECEIVE_UPDATE_DATA path reuses the same buffers page after page
 *   (QEMU allocates the header once, too);
 * - the `/dev/sev` platform commands QEMU issues itself: PDH_CERT_EXPORT (length query,
 *   then the real call) for `query-sev-capabilities` and for the PDH it ships at
 *   SEND_START, and GET_ID for `cpu0-id`.
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import { SevStruct } from '../../kvm/uapi/kvm.js';
import type { Vmm } from '../../vmm/vmm.js';

/** QEMU 6.x `sev_fw_errlist`, indexed by firmware status. */
const FW_ERRLIST = [
  '', 'Platform state is invalid', 'Guest state is invalid', 'Platform configuration is invalid', 'Buffer too small',
  'Platform is already owned', 'Certificate is invalid', 'Policy is not allowed', 'Guest is not active', 'Invalid address',
  'Bad signature', 'Bad measurement', 'ASID is already owned', 'Invalid ASID', 'WBINVD is required', 'DF_FLUSH is required',
  'Guest handle is invalid', 'Invalid command', 'Guest is active', 'Hardware error', 'Hardware unsafe', 'Feature not supported',
  'Invalid parameter',
];

/** `fw_error_to_str`. */
export function fwErrorToStr(code: number): string {
  return code >= 0 && code < FW_ERRLIST.length ? FW_ERRLIST[code] : 'unknown error';
}

/** Firmware status INVALID_LEN: the answer to a length query. */
export const SEV_RET_INVALID_LEN = 0x04;

/** One ioctl's outcome: the return value and the firmware error. */
export interface IoctlResult {
  ret: number;
  error: number;
}

const U = SevStruct.kvm_sev_send_update_data;

/** The per-page ioctl path with buffers allocated once. */
export class SevPageIoctl {
  private readonly cmdAddr: number;
  private readonly dataAddr: number;
  /** Header buffer (16 KiB; 52 bytes used by the firmware's packets). */
  readonly hdrAddr: number;
  /** Transport buffer (16 KiB; one page used). */
  readonly transAddr: number;
  private readonly cmd = new Uint8Array(SevStruct.kvm_sev_cmd.size);
  private readonly cmdView = new DataView(this.cmd.buffer);
  private readonly data = new Uint8Array(U.size);
  private readonly dataView = new DataView(this.data.buffer);

  constructor(private readonly vmm: Vmm) {
    const mem = vmm.mem;
    this.cmdAddr = mem.alloc(SevStruct.kvm_sev_cmd.size);
    this.dataAddr = mem.alloc(U.size);
    // Blobs from the stream may be up to SEV_FW_BLOB_MAX_SIZE (16 KiB); KVM checks the rest.
    this.hdrAddr = mem.alloc(0x4000);
    this.transAddr = mem.alloc(0x4000);
  }

  /**
   * SEND_UPDATE_DATA or RECEIVE_UPDATE_DATA (`id`) with the struct fields given; the
   * header and transport data are at {@link hdrAddr} / {@link transAddr}.
   */
  update(id: number, hdrLen: number, guestUaddr: number, guestLen: number, transLen: number): IoctlResult {
    const v = this.dataView;
    v.setBigUint64(U.hdr_uaddr, BigInt(hdrLen ? this.hdrAddr : 0), true);
    v.setUint32(U.hdr_len, hdrLen, true);
    v.setBigUint64(U.guest_uaddr, BigInt(guestUaddr), true);
    v.setUint32(U.guest_len, guestLen, true);
    v.setBigUint64(U.trans_uaddr, BigInt(transLen ? this.transAddr : 0), true);
    v.setUint32(U.trans_len, transLen, true);
    return this.call(id, this.data);
  }

  /** The struct as the last call left it (lengths written back by a query). */
  lastStruct(): DataView {
    const back = this.vmm.mem.read(this.dataAddr, U.size) ?? this.data;
    return new DataView(back.buffer, back.byteOffset, back.byteLength);
  }

  private call(id: number, data: Uint8Array): IoctlResult {
    const C = SevStruct.kvm_sev_cmd;
    const mem = this.vmm.mem;
    mem.write(this.dataAddr, data);
    this.cmd.fill(0);
    this.cmdView.setUint32(C.id, id, true);
    this.cmdView.setBigUint64(C.data, BigInt(this.dataAddr), true);
    this.cmdView.setUint32(C.sev_fd, 3, true);
    mem.write(this.cmdAddr, this.cmd);
    const ret = this.vmm.vm.memoryEncryptOp(this.cmdAddr);
    const back = mem.read(this.cmdAddr + C.error, 4);
    const error = back ? back[0] | (back[1] << 8) | (back[2] << 16) | (back[3] << 24) : 0;
    return { ret, error: error >>> 0 };
  }
}

/** The platform's PDH certificate and chain (PDH_CERT_EXPORT through /dev/sev), or the firmware error. */
export function pdhCertExport(vmm: Vmm): { pdh: Uint8Array; chain: Uint8Array } | { error: number } {
  const dev = vmm.kvm.dev;
  const q = dev.call('PDH_CERT_EXPORT', { pdh_paddr: 0n, pdh_len: 0, chain_paddr: 0n, chain_len: 0 });
  if (q.status !== SEV_RET_INVALID_LEN && q.status !== 0) return { error: q.status };
  const pdhLen = Number(q.field('pdh_len'));
  const chainLen = Number(q.field('chain_len'));
  const pdh = dev.blob(new Uint8Array(pdhLen));
  const chain = dev.blob(new Uint8Array(chainLen));
  if (!pdh || !chain) {
    dev.release(pdh);
    dev.release(chain);
    return { error: 0x17 };
  }
  const r = dev.call('PDH_CERT_EXPORT', { pdh_paddr: BigInt(pdh.spa), pdh_len: pdhLen, chain_paddr: BigInt(chain.spa), chain_len: chainLen });
  const out = r.status === 0 ? { pdh: dev.readKernel(pdh.spa, pdhLen), chain: dev.readKernel(chain.spa, chainLen) } : { error: r.status };
  dev.release(pdh);
  dev.release(chain);
  return out;
}

/** GET_ID (the chip id the key server signs the CEK for), as hex, or undefined on failure. */
export function getChipId(vmm: Vmm): string | undefined {
  const dev = vmm.kvm.dev;
  const buf = dev.blob(new Uint8Array(64));
  if (!buf) return undefined;
  const r = dev.call('GET_ID', { paddr: BigInt(buf.spa), len: 64 });
  const id = r.status === 0 ? bytesToHex(dev.readKernel(buf.spa, 64)) : undefined;
  dev.release(buf);
  return id;
}
