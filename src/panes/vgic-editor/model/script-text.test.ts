import { describe, expect, it } from 'vitest';
import type { Json } from '../../../../workers/api/types';
import { formatScript, resultText, stepArgs } from './script-text';

const script = {
  format: 'kvm-lab/vgic-script',
  version: 1,
  kernel: '5.13',
  steps: [
    { op: 'create_vm', vm: 'vm', expect: { ret: 0 } },
    {
      op: 'get_attr',
      dev: 'gic',
      group: 'KVM_DEV_ARM_VGIC_GRP_REDIST_REGS',
      attr: { mpidr: '0x1', offset: '0x8' },
      expect: { ret: 0, value: '0x100' },
    },
  ],
} as Json;

describe('scripts as text', () => {
  it('writes one step per line and still parses to the same document', () => {
    const text = formatScript(script);
    expect(text.split('\n')).toHaveLength(4);
    expect(
      text.startsWith('{"format":"kvm-lab/vgic-script","version":1,"kernel":"5.13","steps":[\n {"op":"create_vm"'),
    ).toBe(true);
    expect(JSON.parse(text)).toEqual(script);
  });

  it('summarises steps and results', () => {
    const steps = (script as { steps: Json[] }).steps;
    expect(stepArgs(steps[1])).toBe(
      'dev=gic group=KVM_DEV_ARM_VGIC_GRP_REDIST_REGS attr={"mpidr":"0x1","offset":"0x8"}',
    );
    expect(resultText({ ret: 0, value: '0x310' })).toBe('0 → 0x310');
    expect(resultText({ errno: 'EINVAL', why: 'x' })).toBe('-EINVAL');
    expect(resultText({ error: 'steps[1].dev: missing' })).toBe('error: steps[1].dev: missing');
  });
});
