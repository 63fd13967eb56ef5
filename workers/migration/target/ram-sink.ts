/**
 * Where the target's loader puts what it reads (QEMU's `ram_load_precopy` writes into
 * RAMBlock host memory; the AMD v4 hooks call RECEIVE_START / RECEIVE_UPDATE_DATA and
 * append to the shared-regions list): plain pages are raw writes into the VMM's RAM (what
 * DRAM then holds is the source's bytes, plaintext or not), encrypted packets go through
 * the target PSP, which re-encrypts them with the target's new VEK. Page states follow.
 */
import { PageState } from '../../host/page-states.js';
import { loadGuestState } from '../guest-state.js';
import type { HostRuntime } from '../host/host-runtime.js';
import type { SevIncoming } from '../sev/sev-incoming.js';
import type { LoadBlock, LoadSink } from './load-sink.js';

const ZERO_PAGE = new Uint8Array(4096);

/** The target VMM as a {@link LoadSink}. */
export class RamSink implements LoadSink {
  private readonly fillPage = new Uint8Array(4096);

  constructor(
    private readonly rt: HostRuntime,
    private readonly sev: SevIncoming,
  ) {}

  block(name: string): LoadBlock | undefined {
    return this.rt.host.vmm.ram.blocks.find((b) => b.name === name);
  }

  needsStart(): boolean {
    return !this.sev.receiving && this.rt.host.vmm.sev.state !== 'receive-update';
  }

  private mark(b: LoadBlock, offset: number, encrypted: boolean): void {
    if (b.name !== 'pc.ram') return;
    const s = this.rt.host.pageStates.bytes;
    const i = offset / 4096;
    s[i] = encrypted
      ? (s[i] | PageState.TOUCHED | PageState.MIGRATED | PageState.MIGRATED_ENCRYPTED) & ~PageState.PLAINTEXT & 0xff
      : ((s[i] | PageState.TOUCHED | PageState.MIGRATED | PageState.PLAINTEXT) & ~PageState.MIGRATED_ENCRYPTED) & 0xff;
  }

  plainPage(b: LoadBlock, offset: number, fill: number, data: Uint8Array | undefined): string | undefined {
    let page = data ?? ZERO_PAGE;
    if (!data && fill !== 0) {
      this.fillPage.fill(fill);
      page = this.fillPage;
    }
    if (!this.rt.host.vmm.mem.write(b.hva + offset, page)) return `cannot write RAM block ${b.name} at 0x${offset.toString(16)}`;
    this.mark(b, offset, false);
    return undefined;
  }

  receiveStart(policy: number, pdh: Uint8Array, session: Uint8Array): string | undefined {
    const r = this.sev.receiveStart(policy, pdh, session);
    const ok = 'handle' in r;
    this.rt.emit('migration.sev', { side: 'target', op: 'RECEIVE_START', ok, detail: ok ? `policy 0x${policy.toString(16)}, new handle ${r.handle} (a fresh VEK)` : r.error });
    return ok ? undefined : r.error;
  }

  encryptedPage(b: LoadBlock, offset: number, hdr: Uint8Array, trans: Uint8Array): string | undefined {
    const e = this.sev.receivePage(hdr, trans, b.hva + offset);
    if (e) return e.error;
    this.mark(b, offset, true);
    return undefined;
  }

  sharedRegions(regions: { start: number; end: number }[], offset: number): string | undefined {
    const vmm = this.rt.host.vmm;
    for (const r of regions) vmm.shared.append(r.start, r.end);
    vmm.syncListed(0, 2 ** 52);
    this.rt.emit('migration.shared-regions', {
      side: 'target',
      regions: regions.length,
      pages: vmm.shared.normalized().reduce((n, r) => n + r.end - r.start, 0),
      list: regions.slice(0, 32).map((r) => `0x${r.start.toString(16)}-0x${r.end.toString(16)}`),
      streamOffset: offset,
    });
    return undefined;
  }

  device(idstr: string, payload: Uint8Array, offset: number): string | undefined {
    let text = '';
    for (const c of payload) text += String.fromCharCode(c);
    const err = loadGuestState(this.rt.host, text);
    if (!err) this.rt.emit('migration.device', { side: 'target', idstr, bytes: payload.length, streamOffset: offset });
    return err;
  }
}
