/**
 * The target VMM's SEV side of a migration (AMD QEMU v4, reference §4.7 target steps,
 * §6.3 steps 11, 12 and 19; psp-sev-api.md §9.3, §10):
 *
 * 1. no LAUNCH_* on an incoming VM (the host was started with `-incoming`);
 * 2. the first encrypted record carries the source's policy, PDH and session:
 *    RECEIVE_START (handle from the `sev-guest` handle property, 0 = new context; KVM
 *    then ACTIVATEs the VM's ASID), the new handle is stored, SevState → receive-update;
 * 3. every encrypted record: RECEIVE_UPDATE_DATA into the page (guest_len = trans_len);
 * 4. the first transition to running: RECEIVE_FINISH → running.
 */
import { SevCmdId, SevStruct } from '../../kvm/uapi/kvm.js';
import type { Vmm } from '../../vmm/vmm.js';
import { fwErrorToStr, SevPageIoctl } from './sev-ioctl.js';

/** The incoming SEV context of one migration. */
export class SevIncoming {
  /** True after RECEIVE_START succeeded (until RECEIVE_FINISH). */
  receiving = false;
  private readonly port: SevPageIoctl;

  constructor(private readonly vmm: Vmm) {
    this.port = new SevPageIoctl(vmm);
  }

  /** RECEIVE_START with the source's policy, PDH certificate and session; undefined or the error text. */
  receiveStart(policy: number, pdh: Uint8Array, session: Uint8Array): { handle: number } | { error: string; fw: number } {
    const mem = this.vmm.mem;
    const L = SevStruct.kvm_sev_launch_start;
    const s = new Uint8Array(L.size);
    const v = new DataView(s.buffer);
    const pdhAddr = mem.alloc(pdh.length);
    const sessAddr = mem.alloc(session.length);
    mem.write(pdhAddr, pdh);
    mem.write(sessAddr, session);
    v.setUint32(L.handle, this.vmm.sev.handle, true);
    v.setUint32(L.policy, policy, true);
    v.setBigUint64(L.dh_uaddr, BigInt(pdh.length ? pdhAddr : 0), true);
    v.setUint32(L.dh_len, pdh.length, true);
    v.setBigUint64(L.session_uaddr, BigInt(session.length ? sessAddr : 0), true);
    v.setUint32(L.session_len, session.length, true);
    const r = this.vmm.sev.ioctl(SevCmdId.KVM_SEV_RECEIVE_START, s);
    mem.free(pdhAddr);
    mem.free(sessAddr);
    if (r.ret < 0) return { error: `Error RECEIVE_START ret=${r.ret} fw_error=${r.error} '${fwErrorToStr(r.error)}'`, fw: r.error };
    const handle = new DataView(r.data.buffer, r.data.byteOffset).getUint32(L.handle, true);
    this.vmm.sev.handle = handle;
    this.vmm.sev.setState('receive-update');
    this.receiving = true;
    return { handle };
  }

  /** RECEIVE_UPDATE_DATA of one packet into the page at host-virtual `hva`; undefined or the error text. */
  receivePage(hdr: Uint8Array, trans: Uint8Array, hva: number): { error: string; fw: number } | undefined {
    const mem = this.vmm.mem;
    mem.write(this.port.hdrAddr, hdr);
    mem.write(this.port.transAddr, trans);
    const r = this.port.update(SevCmdId.KVM_SEV_RECEIVE_UPDATE_DATA, hdr.length, hva, trans.length, trans.length);
    if (r.ret !== 0) return { error: `Error RECEIVE_UPDATE_DATA ret=${r.ret} fw_error=${r.error} '${fwErrorToStr(r.error)}'`, fw: r.error };
    return undefined;
  }

  /** RECEIVE_FINISH (`sev_vm_state_change` on the first start): undefined or the error text. */
  receiveFinish(): string | undefined {
    if (!this.receiving) return undefined;
    const r = this.vmm.sev.ioctl(SevCmdId.KVM_SEV_RECEIVE_FINISH);
    this.receiving = false;
    if (r.ret !== 0) return `sev_receive_finish: RECEIVE_FINISH ret=${r.ret} fw_error=${r.error} '${fwErrorToStr(r.error)}'`;
    this.vmm.sev.setState('running');
    return undefined;
  }
}
