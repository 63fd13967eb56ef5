/**
 * The vgic-script v1 runner (reference §11): values and names, handles, step and script
 * errors, results, events, determinism; and the check semantics of §11.5.
 */
import { describe, expect, it } from 'vitest';
import { checkVgicResult, matchesExpect } from './check.js';
import { runVgicScript } from './runner.js';

type Step = Record<string, unknown>;
const doc = (steps: Step[], extra: Record<string, unknown> = {}) => ({ format: 'kvm-lab/vgic-script', version: 1, ...extra, steps });
const vmGic: Step[] = [
  { op: 'create_vm', vm: 'vm' },
  { op: 'create_vcpu', vm: 'vm', vcpu_id: 0 },
  { op: 'vcpu_init', vm: 'vm', vcpu_id: 0 },
  { op: 'create_device', vm: 'vm', type: 'KVM_DEV_TYPE_ARM_VGIC_V3', dev: 'gic' },
];
const run = (steps: Step[], extra?: Record<string, unknown>) => runVgicScript(doc([...vmGic, ...steps], extra)).steps.slice(vmGic.length);

describe('values and names (§11.2)', () => {
  it('takes JSON integers, hex and decimal strings, and macro names', () => {
    const set = (group: unknown, attr: unknown, value: unknown) => ({ op: 'set_attr', dev: 'gic', group, attr, value });
    expect(
      run([
        set(0, 2, '0x10000'),
        set('0', '3', '131072'),
        set('KVM_DEV_ARM_VGIC_GRP_ADDR', 'KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION', '0x0010000000400001'),
        set('0x0', 'KVM_VGIC_V3_ADDR_TYPE_DIST', 0x20000),
      ]),
    ).toEqual([{ ret: 0 }, { ret: 0 }, { ret: 0 }, { errno: 'EEXIST', why: 'the distributor base is already set (to 0x00010000)' }]);
  });

  it('reads {mpidr, offset} attributes of the register groups, and u32 values zero-extended', () => {
    const steps = run([
      { op: 'set_attr', dev: 'gic', group: 'KVM_DEV_ARM_VGIC_GRP_CTRL', attr: 'KVM_DEV_ARM_VGIC_CTRL_INIT' },
      { op: 'get_attr', dev: 'gic', group: 'KVM_DEV_ARM_VGIC_GRP_REDIST_REGS', attr: { mpidr: '0x0', offset: '0x8' } },
      { op: 'get_attr', dev: 'gic', group: 5, attr: '0x8' },
      { op: 'get_attr', dev: 'gic', group: 'KVM_DEV_ARM_VGIC_GRP_NR_IRQS', attr: 0, value: '0xffffffff00000000' },
      { op: 'get_attr', dev: 'gic', group: 0, attr: 2 },
    ]);
    expect(steps).toEqual([{ ret: 0 }, { ret: 0, value: '0x0' }, { ret: 0, value: '0x0' }, { ret: 0, value: '0x100' }, { ret: 0, value: '0xffffffffffffffff' }]);
  });

  it.each([
    [{ group: 'KVM_DEV_ARM_VGIC_GRP_FOO', attr: 0 }, 'steps[4].group: unknown name "KVM_DEV_ARM_VGIC_GRP_FOO" (expected a group name)'],
    [{ group: 'KVM_VGIC_V3_ADDR_TYPE_DIST', attr: 0 }, 'steps[4].group: unknown name "KVM_VGIC_V3_ADDR_TYPE_DIST" (expected a group name)'],
    [{ group: 0, attr: 'KVM_DEV_ARM_VGIC_GRP_ADDR' }, 'steps[4].attr: unknown name "KVM_DEV_ARM_VGIC_GRP_ADDR" (expected an attribute name)'],
    [{ group: 0, attr: 2, value: '0x1ffffffffffffffff' }, 'steps[4].value: 0x1ffffffffffffffff does not fit in 64 bits'],
    [{ group: 0, attr: 2, value: 2 ** 60 }, 'steps[4].value: values above 2^53 must be hex strings ("0x…")'],
    [{ group: 0, attr: -1 }, 'steps[4].attr: -1 is negative (write u64 values as hex strings, e.g. "0xffffffffffffffff")'],
    [{ group: '0x100000000', attr: 0 }, 'steps[4].group: 0x100000000 does not fit in 32 bits'],
    [{ group: 0, attr: { mpidr: 0, offset: 8 } }, 'steps[4].attr: an {mpidr, offset} attribute only fits the register groups (DIST_REGS, REDIST_REGS, CPU_SYSREGS, LEVEL_INFO)'],
    [{ group: 5, attr: { mpidr: '0x100000000', offset: 8 } }, 'steps[4].attr.mpidr: 0x100000000 does not fit in 32 bits'],
    [{ group: 0, attr: 2, value: '1', addr: null }, 'steps[4]: give either value or addr: null, not both'],
    [{ group: 0, attr: 2, addr: 0 }, 'steps[4].addr: only null is allowed (a NULL kvm_device_attr.addr)'],
    [{ attr: 2 }, 'steps[4].group: missing'],
  ])('stops at a value it cannot use: %j', (fields, message) => {
    const result = runVgicScript(doc([...vmGic, { op: 'set_attr', dev: 'gic', ...fields }, vmGic[0]]));
    expect(result.steps.slice(4)).toEqual([{ error: message }]);
  });
});

describe('handles and steps (§11.1, §11.3)', () => {
  it.each([
    [{ op: 'frobnicate' }, 'steps[4].op: unknown op "frobnicate"'],
    [{ op: 'set_attr', dev: 'nope', group: 0, attr: 2 }, 'steps[4].dev: unknown or closed device handle "nope"'],
    [{ op: 'run', vm: 'other', vcpu_id: 0 }, 'steps[4].vm: unknown or closed vm handle "other"'],
    [{ op: 'run', vm: 'vm', vcpu_id: 3 }, 'steps[4].vcpu_id: vCPU 3 was never created in this vm'],
    [{ op: 'create_vcpu', vm: 'vm', vcpu_id: 2 ** 32 }, 'steps[4].vcpu_id: 4294967296 does not fit in 32 bits'],
    [{ op: 'create_vm', vm: 'vm' }, 'steps[4].vm: vm handle "vm" is already open'],
    [{ op: 'create_device', vm: 'vm', type: 'KVM_DEV_TYPE_ARM_VGIC_ITS' }, 'steps[4].dev: missing'],
    [{ op: 'create_vm', vm: 'x', ipa_bits: 256 }, 'steps[4].ipa_bits: 256 does not fit in 8 bits'],
    [{ op: 'vcpu_init', vm: 'vm', vcpu_id: 0, expect: { errno: 'EWHAT' } }, 'steps[4].expect.errno: unknown errno "EWHAT" (expected one of EPERM, ENOENT, ENXIO, E2BIG, ENOEXEC, ENOMEM, EFAULT, EBUSY, EEXIST, ENODEV, EINVAL)'],
    ['not a step', 'steps[4]: expected a step object'],
  ])('gives a step error and stops: %j', (step, message) => {
    const result = runVgicScript(doc([...vmGic, step as Step, vmGic[0]]));
    expect(result.steps).toHaveLength(5);
    expect(result.steps[4]).toEqual({ error: message });
  });

  it('binds no handle for a failed or TEST create, and forgets devices with their VM', () => {
    const steps = run([
      { op: 'create_device', vm: 'vm', type: 7, dev: 'gic2' },
      { op: 'create_device', vm: 'vm', type: 7, test: true },
      { op: 'close_device', dev: 'gic' },
      { op: 'create_device', vm: 'vm', type: 8, dev: 'gic' },
      { op: 'close_vm', vm: 'vm' },
      { op: 'create_vm', vm: 'vm' },
      { op: 'has_attr', dev: 'gic', group: 0, attr: 4 },
    ]);
    expect(steps.slice(0, 6)).toEqual([{ errno: 'EEXIST', why: 'the VM already has a vGIC (only one per VM)' }, { ret: 0 }, { ret: 0 }, { ret: 0 }, { ret: 0 }, { ret: 0 }]);
    expect(steps[6]).toEqual({ error: 'steps[10].dev: unknown or closed device handle "gic"' });
    const failed = runVgicScript(doc([...vmGic, { op: 'create_device', vm: 'vm', type: 7, dev: 'gic2' }, { op: 'close_device', dev: 'gic2' }]));
    expect(failed.steps[5]).toEqual({ error: 'steps[5].dev: unknown or closed device handle "gic2"' });
  });

  it('keeps the vGIC after close_device (§2): the same VM still has one', () => {
    const steps = run([{ op: 'close_device', dev: 'gic' }, { op: 'create_device', vm: 'vm', type: 7, dev: 'again' }]);
    expect(steps).toEqual([{ ret: 0 }, { errno: 'EEXIST', why: 'the VM already has a vGIC (only one per VM)' }]);
  });
});

describe('script errors and results (§11.1, §11.4)', () => {
  it.each([
    [null, 'expected a JSON object of format "kvm-lab/vgic-script"'],
    [{ format: 'kvm-lab/psp-script', version: 1, steps: [] }, 'format: expected "kvm-lab/vgic-script", found "kvm-lab/psp-script"'],
    [doc([], { version: 2 }), 'version: version 2 is newer than this lab understands (1)'],
    [doc([], { kernel: 5.13 }), 'kernel: expected "5.12", "5.13" or "5.16", found 5.13'],
    [{ format: 'kvm-lab/vgic-script', version: 1, steps: {} }, 'steps: expected an array of steps'],
  ])('answers a document that is not vgic-script v1 with a top-level error: %j', (script, error) => {
    expect(runVgicScript(script, { file: 'x.json' })).toEqual({ format: 'kvm-lab/vgic-result', version: 1, file: 'x.json', error, steps: [] });
  });

  it('is deterministic and names the kernel it ran under', () => {
    const script = doc([...vmGic, { op: 'set_attr', dev: 'gic', group: 0, attr: 3, value: '0x0' }], { kernel: '5.16', name: 'n', description: 'ignored' });
    const a = runVgicScript(script);
    expect(a).toEqual(runVgicScript(script));
    expect(a).toMatchObject({ file: '<script>', kernel: '5.16' });
  });

  it('logs every ioctl as a vgic.ioctl event in virtual time when asked', () => {
    const r = runVgicScript(doc(vmGic), { events: true });
    const events = r.events as { seq: number; t: number; kind: string; payload: { op: string; result: unknown } }[];
    expect(events.map((e) => [e.seq, e.t, e.kind, e.payload.op])).toEqual([
      [0, 0, 'vgic.ioctl', 'create_vm'],
      [1, 1000, 'vgic.ioctl', 'create_vcpu'],
      [2, 2000, 'vgic.ioctl', 'vcpu_init'],
      [3, 3000, 'vgic.ioctl', 'create_device'],
    ]);
    expect(runVgicScript(doc(vmGic)).events).toBeUndefined();
  });
});

describe('check semantics (§11.5)', () => {
  it('compares errno, ret, and value numerically', () => {
    expect(matchesExpect({ errno: 'EINVAL' }, { errno: 'EINVAL' })).toBe(true);
    expect(matchesExpect({ errno: 'EINVAL' }, { ret: 0 })).toBe(false);
    expect(matchesExpect({ ret: 0 }, { ret: 0, value: '0x10' })).toBe(true);
    expect(matchesExpect({ ret: 0, value: '0x0310' }, { ret: 0, value: '0x310' })).toBe(true);
    expect(matchesExpect({ ret: 0, value: '0x310' }, { ret: 0 })).toBe(false);
    expect(matchesExpect({ ret: 1 }, { ret: 0 })).toBe(false);
    expect(matchesExpect({ ret: 0 }, { error: 'x' })).toBe(false);
    expect(matchesExpect({ ret: 0 }, undefined)).toBe(false);
  });

  it('reports steps whose expectation fails or that never ran, and skips steps without expect', () => {
    const script = doc([
      { op: 'create_vm', vm: 'vm', expect: { ret: 0 } },
      { op: 'create_vcpu', vm: 'vm', vcpu_id: 600, expect: { errno: -22 } },
      { op: 'create_vcpu', vm: 'vm', vcpu_id: 600 },
      { op: 'run', vm: 'vm', vcpu_id: 1, expect: { ret: 0 } },
      { op: 'close_vm', vm: 'vm', expect: { ret: 0 } },
    ]);
    const result = runVgicScript(script);
    expect(checkVgicResult(script, result).map((m) => m.message)).toEqual([
      'steps[3] (run): expected {"ret":0}, got {"error":"steps[3].vcpu_id: vCPU 1 was never created in this vm"}',
      'steps[4] (close_vm): expected {"ret":0}, got no result (the script stopped earlier)',
    ]);
    const bad = runVgicScript({ format: 'x' });
    expect(checkVgicResult({ format: 'x' }, bad)).toHaveLength(1);
  });
});
