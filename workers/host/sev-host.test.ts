import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { bootHost } from './test-support/boot.js';
import { PageState } from './page-states.js';
import { SEV_MIGRATION_BLOCKER } from '../vmm/migration-blocker.js';
import { ramOffsetOf } from '../vmm/memory-layout.js';
import { toJsonLines } from '../core/event-log.js';
import type { SevHost } from './sev-host.js';

const kinds = (log: ReturnType<typeof bootHost>['log']): string[] => log.slice().map((e) => e.kind);

/** RAM frames the VMM lists as shared. */
function listedRamGfns(h: SevHost): Set<number> {
  const out = new Set<number>();
  for (const r of h.vmm.shared.normalized()) {
    for (let g = r.start; g < Math.min(r.end, 0x100000); g++) if (ramOffsetOf(h.vmm.ram.layout, g * 4096) !== undefined) out.add(g);
  }
  return out;
}

/** RAM frames the guest maps shared. */
function guestSharedGfns(h: SevHost): Set<number> {
  const out = new Set<number>();
  for (const m of h.kernel.pt.sharedRanges()) for (let i = 0; i < m.npages; i++) out.add(m.gpa / 4096 + i);
  return out;
}

describe('the whole boot', () => {
  for (const abi of ['upstream', 'v11'] as const) {
    for (const efi of [true, false]) {
      it(`${abi}, ${efi ? 'EFI' : 'non-EFI'}: launch, negotiation, migration allowed`, () => {
        const { host, log } = bootHost({ abi, efi });
        const v = host.vmm;
        expect(host.failed).toBeUndefined();
        expect(v.sev.state).toBe('running');
        expect(v.runstate).toBe('running');
        expect(v.migrationMsr.value).toBe(1n);
        expect(v.blockers.allowed).toBe(true);
        const sev = log.slice().filter((e) => e.kind === 'kvm.sev-cmd').map((e) => (e.payload as { name: string }).name);
        expect(sev).toEqual(['KVM_SEV_INIT', 'KVM_SEV_LAUNCH_START', 'KVM_SEV_LAUNCH_UPDATE_DATA', 'KVM_SEV_LAUNCH_MEASURE', 'KVM_SEV_LAUNCH_MEASURE', 'KVM_SEV_LAUNCH_FINISH']);
        const k = kinds(log);
        expect(k).toContain(abi === 'v11' ? 'kvm.exit' : 'kvm.exit');
        const exits = log.slice().filter((e) => e.kind === 'kvm.exit').map((e) => (e.payload as { name: string }).name);
        if (abi === 'v11') {
          expect(exits).toContain('KVM_EXIT_DMA_SHARE');
          expect(exits).toContain('KVM_EXIT_DMA_UNSHARE');
          expect(exits).not.toContain('KVM_EXIT_HYPERCALL');
        } else {
          expect(exits).toContain('KVM_EXIT_HYPERCALL');
          expect(exits).not.toContain('KVM_EXIT_DMA_SHARE');
        }
        // EFI boots read the UEFI variable; non-EFI boots write the MSR without it.
        expect(k.includes('uefi.get-variable')).toBe(efi);
        const wr = log.slice().findIndex((e) => e.kind === 'vmm.migration-msr');
        const late = log.slice().findIndex((e) => e.kind === 'guest.phase' && (e.payload as { phase: string }).phase === 'late_initcall');
        expect(wr > late).toBe(efi);
        // Shared: __bss_decrypted (2 used pages), per-CPU page, SWIOTLB, the DMA ring; never the freed tail.
        const kl = host.kernel.layout;
        expect(v.shared.isShared(kl.bssDecrypted / 4096 + 1)).toBe(true);
        expect(v.shared.isShared(kl.bssDecrypted / 4096 + 2)).toBe(false);
        expect(v.shared.isShared(kl.percpuDecrypted / 4096)).toBe(true);
        expect(v.shared.isShared(kl.swiotlbBase / 4096)).toBe(true);
        expect(listedRamGfns(host)).toEqual(guestSharedGfns(host));
      });
    }
  }

  it('firmware without the feature: no OVMF ranges, no variable, migration stays blocked', () => {
    const { host, log } = bootHost({ ovmfFeature: false });
    expect(kinds(log)).not.toContain('uefi.set-variable');
    expect(log.slice().some((e) => e.kind === 'vcpu.vmmcall' && e.component === 'ovmf')).toBe(false);
    expect(host.vmm.blockers.list()).toEqual([SEV_MIGRATION_BLOCKER]);
    expect(host.vmm.migrationMsr.value).toBe(0n);
    expect(log.slice().some((e) => e.kind === 'console.line' && /variable not found/.test((e.payload as { text: string }).text))).toBe(true);
  });

  it('a guest that never writes the MSR: the list is complete but migration stays blocked', () => {
    const { host, log } = bootHost({ guestWritesMsr: false });
    expect(kinds(log)).not.toContain('vmm.migration-msr');
    expect(host.vmm.blockers.allowed).toBe(false);
    expect(listedRamGfns(host)).toEqual(guestSharedGfns(host));
  });
});

describe('the shared list follows the guest', () => {
  it('equals exactly the ranges the guest decrypted, over random set_memory_* sequences', () => {
    for (const abi of ['upstream', 'v11'] as const) {
      const { host } = bootHost({ abi, workload: null });
      const base = host.kernel.layout.workloadBase / 4096 + 64;
      const op = fc.record({ dec: fc.boolean(), page: fc.integer({ min: 0, max: 3000 }), n: fc.integer({ min: 1, max: 700 }) });
      fc.assert(
        fc.property(fc.array(op, { maxLength: 6 }), (ops) => {
          for (const o of ops) {
            const gpa = (base + o.page) * 4096;
            host.queue.push(() => (o.dec ? host.kernel.mem.decrypted(gpa, o.n) : host.kernel.mem.encrypted(gpa, o.n)));
            host.queue.drain();
          }
          expect(listedRamGfns(host)).toEqual(guestSharedGfns(host));
          const states = host.pageStates;
          let mismatched = 0;
          for (let i = 0; i < states.pages; i++) if (states.has(i, PageState.LISTED) !== states.has(i, PageState.SHARED)) mismatched++;
          expect(mismatched).toBe(0);
        }),
        { numRuns: 15 },
      );
    }
  });
});

describe('the two views of memory', () => {
  it('private: hypervisor sees ciphertext, DBG_DECRYPT gives the guest view; shared: both views equal', () => {
    const { host } = bootHost({ workload: null });
    const vcpu = host.vmm.vm.vcpu;
    const priv = host.kernel.layout.workloadBase + 0x100000;
    const data = new Uint8Array(4096).map((_, i) => (i * 7) & 0xff);
    vcpu.write(priv, data, true);
    expect(vcpu.read(priv, 4096, true)).toEqual(data);
    const raw = host.vmm.ram.readRaw(priv, 4096)!;
    expect(raw).not.toEqual(data);
    const hva = host.vmm.ram.resolve(priv)!.hva;
    expect(host.vmm.sev.dbgDecrypt(hva, 4096)).toEqual(data);
    // A shared page: plaintext in DRAM.
    const shared = host.kernel.layout.swiotlbBase;
    vcpu.write(shared, data, false);
    expect(host.vmm.ram.readRaw(shared, 4096)).toEqual(vcpu.read(shared, 4096, false));
    expect(host.vmm.ram.readRaw(shared, 16)).toEqual(data.subarray(0, 16));
  });

  it('a hypervisor write into a private page makes the guest read garbage', () => {
    const { host } = bootHost({ workload: null });
    const vcpu = host.vmm.vm.vcpu;
    const gpa = host.kernel.layout.workloadBase + 0x200000;
    const data = new Uint8Array(64).fill(0x41);
    vcpu.write(gpa, data, true);
    expect(host.vmm.ram.writeRaw(gpa, data)).toBe(true); // the hypervisor writes "plaintext"
    const seen = vcpu.read(gpa, 64, true);
    expect(seen).not.toEqual(data);
    expect(new Set(seen).size).toBeGreaterThan(16); // pseudo-random blocks
  });

  it('DBG_DECRYPT under QEMU\'s default policy (NODBG) fails with POLICY_FAILURE', () => {
    const { host } = bootHost({ workload: null, policy: 1 });
    const hva = host.vmm.ram.resolve(host.kernel.layout.kernelBase)!.hva;
    const r = host.vmm.sev.dbgDecrypt(hva, 16);
    expect(r).toMatchObject({ ret: -5, error: 0x07 });
  });
});

describe('kexec', () => {
  for (const abi of ['upstream', 'v11'] as const) {
    it(`${abi}: resets the kernel's shared ranges and keeps OVMF's`, () => {
      const { host } = bootHost({ abi, workload: null });
      const extra = host.kernel.layout.workloadBase + 0x400000;
      host.queue.push(() => host.kernel.mem.decrypted(extra, 8));
      host.queue.drain();
      expect(host.vmm.shared.isShared(extra / 4096)).toBe(true);
      const fwCfg = (host.vmm.ram.layout.below4g - 4 * 1024 * 1024) / 4096;
      expect(host.vmm.shared.isShared(fwCfg)).toBe(true);
      host.kexec();
      host.bootToEnd();
      expect(host.vmm.shared.isShared(extra / 4096)).toBe(false);
      expect(host.vmm.shared.isShared(fwCfg)).toBe(true);
      expect(host.vmm.shared.isShared(0xc0000)).toBe(true); // MMIO window kept
      expect(host.vmm.shared.isShared(host.kernel.layout.swiotlbBase / 4096)).toBe(true); // re-announced
      expect(listedRamGfns(host)).toEqual(guestSharedGfns(host));
      expect(host.vmm.migrationMsr.value).toBe(1n);
    });
  }
});

describe('determinism', () => {
  it('same seed → byte-identical memory and event log', () => {
    const run = (): { log: string; mem: string } => {
      const { host, log } = bootHost({ abi: 'v11' }, 7);
      for (let i = 0; i < 30; i++) host.step();
      const h = sha256.create();
      const block = host.vmm.ram.block('pc.ram');
      for (let off = 0; off < block.size; off += 4096) {
        if (host.hw.memory.isPageAllocated(block.spa + off)) h.update(host.hw.memory.read(block.spa + off, 4096)!);
      }
      return { log: toJsonLines(log.slice()), mem: bytesToHex(h.digest()) };
    };
    const a = run();
    const b = run();
    expect(a.mem).toBe(b.mem);
    expect(a.log).toBe(b.log);
  });
});
