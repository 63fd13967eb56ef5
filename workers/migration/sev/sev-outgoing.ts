/**
 * The source VMM's SEV side of a migration (AMD QEMU v4, reference §4.7 source steps,
 * §6.3 steps 6–9 and 18; psp-sev-api.md §8.3, §10, §12):
 *
 * 1. `sev_save_setup`: decode `sev-pdh`, `sev-plat-cert`, `sev-amd-cert` (base64; each
 *    at most 16 KiB);
 * 2. at the first private page, SEND_START: a query with session_len = 0 (the answer is
 *    -EIO with error INVALID_LEN and the length), the platform's own PDH
 *    (PDH_CERT_EXPORT), then the real call; the stream gets be32 policy, be32 len + PDH,
 *    be32 len + session; QEMU's SevState → send-update;
 * 3. every private page: SEND_UPDATE_DATA (the first call learns the header length);
 * 4. SEND_FINISH on completion — and, in the v4 series, on failure too; or the lab's
 *    safer SEND_CANCEL, which puts the guest back to RUNNING.
 */
import { SevCmdId, SevStruct } from '../../kvm/uapi/kvm.js';
import type { Vmm } from '../../vmm/vmm.js';
import { SEV_FW_BLOB_MAX_SIZE } from '../stream/format.js';
import { writePacket, writeSendStart } from '../stream/records.js';
import type { StreamWriter } from '../stream/writer.js';
import { fromBase64 } from './base64.js';
import { fwErrorToStr, pdhCertExport, SEV_RET_INVALID_LEN, SevPageIoctl, type IoctlResult } from './sev-ioctl.js';

/** The target's certificates as the operator set them. */
export interface RemoteCerts {
  pdh: string;
  platCert: string;
  amdCert: string;
}

/** The outgoing SEV context of one migration. */
export class SevOutgoing {
  /** True between a successful SEND_START and SEND_FINISH / SEND_CANCEL. */
  sending = false;
  /** True once SEND_FINISH succeeded: the firmware guest is SENT. */
  sent = false;
  private remote: { pdh: Uint8Array; plat: Uint8Array; amd: Uint8Array } | undefined;
  /** SEND_START's output, written before the first packet (after that page's subtype word). */
  private startBlob: { policy: number; pdh: Uint8Array; session: Uint8Array } | undefined;
  private hdrLen = 0;
  private readonly port: SevPageIoctl;

  constructor(private readonly vmm: Vmm) {
    this.port = new SevPageIoctl(vmm);
  }

  /** `sev_save_setup`: the certificates decoded; an error text when one cannot be used. */
  setup(c: RemoteCerts): string | undefined {
    const out: Uint8Array[] = [];
    for (const [name, v] of [
      ['sev-pdh', c.pdh],
      ['sev-plat-cert', c.platCert],
      ['sev-amd-cert', c.amdCert],
    ] as const) {
      const b = fromBase64(v);
      // [U] lab choice: QEMU's g_base64_decode is lenient; the lab refuses what is not base64.
      if (b === undefined) return `sev_save_setup: ${name} is not valid base64`;
      if (b.length > SEV_FW_BLOB_MAX_SIZE) return `sev_save_setup: ${name} is ${b.length} bytes (at most ${SEV_FW_BLOB_MAX_SIZE})`;
      out.push(b);
    }
    this.remote = { pdh: out[0], plat: out[1], amd: out[2] };
    return undefined;
  }

  /** SEND_START, first call: the session length, or an error text. */
  querySessionLength(): { sessionLen: number } | { error: string; fw: number } {
    const L = SevStruct.kvm_sev_send_start;
    const r = this.vmm.sev.ioctl(SevCmdId.KVM_SEV_SEND_START, new Uint8Array(L.size));
    if (r.error !== SEV_RET_INVALID_LEN) {
      return { error: `sev_get_send_session_length: failed to get session length ret=-1 fw_error=${r.error} '${fwErrorToStr(r.error)}'`, fw: r.error };
    }
    return { sessionLen: new DataView(r.data.buffer, r.data.byteOffset).getUint32(L.session_len, true) };
  }

  /**
   * SEND_START for real, with the target's certificates and our own PDH. The policy, our
   * PDH and the session go on the stream with the first encrypted page (sendPage).
   */
  start(sessionLen: number): { policy: number; sessionLen: number } | { error: string; fw: number } {
    const rc = this.remote;
    if (!rc || rc.pdh.length === 0 || rc.plat.length === 0 || rc.amd.length === 0) return { error: 'sev_send_start: missing remote PDH or PLAT_CERT', fw: 0 };
    const own = pdhCertExport(this.vmm);
    if ('error' in own) return { error: `Failed to get our PDH cert (fw_error=${own.error} '${fwErrorToStr(own.error)}')`, fw: own.error };
    const mem = this.vmm.mem;
    const put = (b: Uint8Array): number => {
      const a = mem.alloc(b.length);
      mem.write(a, b);
      return a;
    };
    const L = SevStruct.kvm_sev_send_start;
    const s = new Uint8Array(L.size);
    const v = new DataView(s.buffer);
    const bufs = [put(rc.pdh), put(rc.plat), put(rc.amd), mem.alloc(sessionLen)];
    v.setBigUint64(L.pdh_cert_uaddr, BigInt(bufs[0]), true);
    v.setUint32(L.pdh_cert_len, rc.pdh.length, true);
    v.setBigUint64(L.plat_certs_uaddr, BigInt(bufs[1]), true);
    v.setUint32(L.plat_certs_len, rc.plat.length, true);
    v.setBigUint64(L.amd_certs_uaddr, BigInt(bufs[2]), true);
    v.setUint32(L.amd_certs_len, rc.amd.length, true);
    v.setBigUint64(L.session_uaddr, BigInt(bufs[3]), true);
    v.setUint32(L.session_len, sessionLen, true);
    const r = this.vmm.sev.ioctl(SevCmdId.KVM_SEV_SEND_START, s);
    const session = mem.read(bufs[3], sessionLen) ?? new Uint8Array(sessionLen);
    for (const a of bufs) mem.free(a);
    if (r.ret < 0) return { error: `sev_send_start: SEND_START ret=${r.ret} fw_error=${r.error} '${fwErrorToStr(r.error)}'`, fw: r.error };
    const out = new DataView(r.data.buffer, r.data.byteOffset);
    const policy = out.getUint32(L.policy, true);
    const len = out.getUint32(L.session_len, true);
    this.startBlob = { policy, pdh: own.pdh, session: session.slice(0, len) };
    this.sending = true;
    this.vmm.sev.setState('send-update');
    return { policy, sessionLen: len };
  }

  /** SEND_UPDATE_DATA of the page at host-virtual `hva` into `w`; the bytes written, or an error text. */
  sendPage(w: StreamWriter, hva: number): number | string {
    if (this.hdrLen === 0) {
      // sev_send_get_packet_len: a zeroed struct; INVALID_LEN answers with the header length.
      const q = this.port.update(SevCmdId.KVM_SEV_SEND_UPDATE_DATA, 0, 0, 0, 0);
      if (q.error !== SEV_RET_INVALID_LEN) return `sev_send_update_data: SEND_UPDATE fw_error=${q.error} '${fwErrorToStr(q.error)}'`;
      this.hdrLen = this.port.lastStruct().getUint32(SevStruct.kvm_sev_send_update_data.hdr_len, true);
    }
    const r = this.port.update(SevCmdId.KVM_SEV_SEND_UPDATE_DATA, this.hdrLen, hva, 4096, 4096);
    if (r.ret !== 0) return `sev_send_update_data: SEND_UPDATE_DATA ret=${r.ret} fw_error=${r.error} '${fwErrorToStr(r.error)}'`;
    let n = 0;
    const s = this.startBlob;
    if (s) {
      n += writeSendStart(w, s.policy, s.pdh, s.session);
      this.startBlob = undefined;
    }
    const mem = this.vmm.mem;
    return n + writePacket(w, mem.read(this.port.hdrAddr, this.hdrLen)!, mem.read(this.port.transAddr, 4096)!);
  }

  /** SEND_FINISH (`finish`) or SEND_CANCEL (`cancel`) if a send session is open. */
  close(how: 'finish' | 'cancel'): IoctlResult | undefined {
    if (!this.sending) return undefined;
    const id = how === 'finish' ? SevCmdId.KVM_SEV_SEND_FINISH : SevCmdId.KVM_SEV_SEND_CANCEL;
    const r = this.vmm.sev.ioctl(id);
    this.sending = false;
    if (how === 'finish' && r.ret === 0) this.sent = true;
    // v4 sets QEMU's SevState back to running after SEND_FINISH, as after SEND_CANCEL.
    this.vmm.sev.setState('running');
    return { ret: r.ret, error: r.error };
  }
}
