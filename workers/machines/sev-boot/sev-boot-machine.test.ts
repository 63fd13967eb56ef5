import { describe, expect, it } from 'vitest';
import { Engine } from '../../api/index.js';
import { parseSevBootParams } from './params.js';

function booted(abi: 'upstream' | 'v11'): Engine {
  const e = new Engine();
  const r = e.load({ format: 'kvm-lab/scenario', version: 1, name: 't', title: 't', machine: 'sev-boot', seed: 3, params: { abi, memMiB: 256, policy: 0 } });
  expect(r.ok).toBe(true);
  while ((e.state().summary as { booting: boolean }).booting) e.step(1);
  return e;
}

describe('sev-boot params', () => {
  it('reports the path of the first problem', () => {
    expect(() => parseSevBootParams({ abi: 'v12' }, 'params')).toThrow(/params\.abi: expected one of/);
    expect(() => parseSevBootParams({ abi: 'v11', memMiB: 100 }, 'params')).toThrow(/params\.memMiB: expected 256\.\.16384/);
    expect(() => parseSevBootParams({ abi: 'v11', workload: { pattern: 'zigzag' } }, 'params')).toThrow(/params\.workload\.pattern/);
    expect(() => parseSevBootParams({ abi: 'v11', efi: 'yes' }, 'params')).toThrow(/params\.efi: expected true or false/);
    expect(() => parseSevBootParams({ abi: 'v11', workload: { fillPagesPerSecond: 0 } }, 'params')).toThrow(/params\.workload\.fillPagesPerSecond: expected 1\.\.1000000/);
  });

  it('an initial fill rate is optional and reaches the workload only when given', () => {
    expect(parseSevBootParams({ abi: 'v11', workload: { fillPagesPerSecond: 50_000 } }, 'params').workload).toMatchObject({ fillPagesPerSecond: 50_000 });
    expect(parseSevBootParams({ abi: 'v11', workload: {} }, 'params').workload).not.toHaveProperty('fillPagesPerSecond');
  });
});

describe('bad input gives the real error and the lab keeps running', () => {
  it('upstream hypercalls: unaligned, zero, wrapping, reserved attrs, unknown nr', () => {
    const e = booted('upstream');
    const hc = (a0: string, a1: string, a2: string, nr?: number): string => e.input({ guest: 'hypercall', a0, a1, a2, ...(nr !== undefined ? { nr } : {}) }).text ?? '';
    expect(hc('0x100001', '1', '0x0')).toMatch(/returned -KVM_EINVAL/);
    expect(hc('0x100000', '0', '0x0')).toMatch(/returned -KVM_EINVAL/);
    expect(hc('0x1000', '0xffffffffffffffff', '0x0')).toMatch(/returned -KVM_EINVAL/);
    expect(hc('0x100000', '1', '0x30')).toMatch(/returned -KVM_EINVAL/); // bit 5 reserved: refused by the VMM
    expect(hc('0x0', '0', '0', 99)).toMatch(/returned -KVM_ENOSYS/);
    const rejects = e.events().filter((x) => x.kind === 'vmm.shared-regions' && (x.payload as { op: string }).op === 'reject');
    expect(rejects).toHaveLength(1);
    expect(e.step(1).cursor).toBeGreaterThan(0);
  });

  it('v11 hypercalls: no alignment check (the GFN is taken), zero and wrapping refused', () => {
    const e = booted('v11');
    const hc = (a0: string, a1: string, a2: string): string => e.input({ guest: 'hypercall', a0, a1, a2 }).text ?? '';
    expect(hc('0x100001', '1', '0x0')).toMatch(/returned 0/);
    expect(hc('0x100000', '0', '0x0')).toMatch(/returned -KVM_EINVAL/);
    expect(hc('0x1000', '0xffffffffffffffff', '0x1')).toMatch(/returned -KVM_EINVAL/);
    const share = e.events().filter((x) => x.kind === 'kvm.exit').pop()!;
    expect(share.payload).toMatchObject({ name: 'KVM_EXIT_DMA_SHARE', run: { addr: '0x100', len: '0x1000' } });
  });

  it('an unknown MSR takes #GP and the kernel reports it', () => {
    const e = booted('upstream');
    const r = e.input({ guest: 'wrmsr', msr: '0x4b564dff', value: 1 });
    expect(r.ok).toBe(false);
    expect(r.text).toMatch(/^unchecked MSR access error: WRMSR to 0x4b564dff/);
    expect(e.events().some((x) => x.kind === 'kvm.msr' && (x.payload as { outcome: string }).outcome === '#GP')).toBe(true);
  });

  it('monitor: QEMU texts for unknown commands and bad addresses; dumps show the hypervisor view', () => {
    const e = booted('upstream');
    expect(e.input({ monitor: 'foo' }).text).toBe("unknown command: 'foo'");
    expect(e.input({ monitor: 'info foo' }).text).toBe("unknown command: 'info foo'");
    expect(e.input({ monitor: 'xp /4x 0x10zz' }).text).toBe('xp: extraneous characters at the end of line\nTry "help xp" for more information');
    expect(e.input({ monitor: 'xp /4x zz' }).text).toBe("invalid char 'z' in expression\nTry \"help xp\" for more information");
    expect(e.input({ monitor: 'xp /4q 0' }).text).toBe("invalid char in format: 'q'\nTry \"help xp\" for more information");
    expect(e.input({ monitor: 'xp /2x 0x300000000' }).text).toBe('0000000300000000: Cannot access memory');
    expect(e.input({ monitor: 'xp /2wx 0x2800000' }).text).toMatch(/^0000000002800000: 0x00000002 0x00000000$/);
    expect(e.input({ monitor: 'info status' }).text).toBe('VM status: running');
    expect(e.input({ monitor: 'info sev' }).text).toBe('handle: 1\nstate: running\nbuild: 25\napi version: 1.55\ndebug: on\nkey-sharing: on');
    expect(e.input({ monitor: 'stop' }).ok).toBe(true);
    expect(e.input({ monitor: 'info status' }).text).toBe('VM status: paused');
    expect(e.input({ monitor: 'help x' }).text).toBe("x /fmt addr -- virtual memory dump starting at 'addr'");
    const lines = e.events().filter((x) => x.kind === 'console.line' && (x.payload as { console: string }).console === 'monitor@src');
    expect(lines[0].payload).toMatchObject({ text: '(qemu) foo' });
  });
});
