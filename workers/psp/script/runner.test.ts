/**
 * psp-script v1 (reference §17): the §17.7 examples, and every rule of §17.1–§17.6 —
 * values, saves, blobs, explicit X_len / X_paddr, out fields whatever the status, output
 * blobs only on SUCCESS, SCRIPT_ERROR stopping the script, parse errors, expectations.
 */
import { describe, expect, it } from 'vitest';
import { type Json } from '../../core/events.js';
import { statusName } from '../status.js';
import { runPspScript, type PspRun } from './runner.js';
import refJson from './reference-17-7.json';

type Step = Record<string, Json> | string;
const doc = (steps: Step[], extra: Record<string, Json> = {}): Json => ({ format: 'kvm-lab/psp-script', version: 1, ...extra, steps });
const run = (steps: Step[], extra: Record<string, Json> = {}): PspRun => runPspScript(doc(steps, extra), 't.json');
const statuses = (r: PspRun) => r.result.steps.map((s) => s.status);
const ref = refJson as unknown as { launch: Record<string, Json>; sendReceive: Record<string, Json> };
const launchSteps = ref.launch.steps as Step[];

/** The placeholder of §17.7's second script, expanded: INIT/wbinvd/DF_FLUSH on both, the launch on src. */
function expandedSendReceive(): Step[] {
  const prep = (on: string): Step[] => [{ on, cmd: 'INIT' }, { on, host: 'wbinvd' }, { on, cmd: 'DF_FLUSH' }];
  const onSrc = (launchSteps.slice(3) as Record<string, Json>[]).map((s) => ({ on: 'src', ...s }));
  return [...prep('src'), ...prep('dst'), ...onSrc, ...(ref.sendReceive.steps as Step[]).slice(1)];
}

describe('§17.7 examples', () => {
  it('the launch script runs and meets every expectation', () => {
    const r = runPspScript(ref.launch, 'launch.json');
    expect(r.result).toMatchObject({ format: 'kvm-lab/psp-result', version: 1, file: 'launch.json' });
    expect(r.result.steps).toHaveLength(11);
    expect(r.mismatches).toEqual([]);
  });

  it('the SEND/RECEIVE script (placeholder expanded) meets every expectation', () => {
    const r = run(expandedSendReceive(), { platforms: ['src', 'dst'] });
    expect(r.mismatches).toEqual([]);
  });

  it('verbatim, the placeholder string is a SCRIPT_ERROR that stops the script; later expectations have no result', () => {
    const r = runPspScript(ref.sendReceive, 'send.json');
    expect(r.result.steps).toEqual([{ status: 'SCRIPT_ERROR', error: expect.stringContaining('object') as string }]);
    expect(r.mismatches.map((m) => m.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(r.mismatches[0].message).toMatch(/no result/);
  });

  it('the tamper variant: a flipped bit 100 of the transport data → BAD_MEASUREMENT', () => {
    const steps = expandedSendReceive();
    const recv = steps.findIndex((s) => typeof s === 'object' && s.cmd === 'RECEIVE_UPDATE_DATA');
    steps.splice(recv, 0, { blob: 'flip', data: '$pt', bit: 100, save: { pt: 'data' } });
    const r = run(steps, { platforms: ['src', 'dst'] });
    expect(r.result.steps[recv + 1].status).toBe('BAD_MEASUREMENT');
    expect(r.mismatches.map((m) => m.step)).toEqual([recv + 1, steps.length - 1]);
  });
});

describe('values and saves (§17.2)', () => {
  it('blobs: hex (any case, empty), fill, seq with default mod 256; flip inverts bit K of byte K/8', () => {
    const r = run([
      { blob: 'set', data: 'AbCd' },
      { blob: 'set', data: '' },
      { blob: 'set', data: { fill: '0x7f', len: 3 } },
      { blob: 'set', data: { seq: 254, len: 4 } },
      { blob: 'set', data: { seq: 0, len: 5, mod: 3 } },
      { blob: 'flip', data: '0000', bit: 9 },
    ]);
    expect(r.result.steps.map((s) => ('out' in s ? s.out.data : s))).toEqual(['abcd', '', '7f7f7f', 'feff0001', '0001020001', '0002']);
  });

  it('$name reads saved values; numbers and blobs do not mix; unsaved names and bad values are SCRIPT_ERRORs', () => {
    for (const [step, msg] of [
      [{ blob: 'set', data: '$nope' }, /never saved/],
      [{ blob: 'set', data: 'abc' }, /expected a blob/],
      [{ blob: 'flip', data: '00', bit: 8 }, /beyond/],
      [{ blob: 'flip', data: '00', bit: -1 }, /expected a number/],
      [{ blob: 'set', data: { fill: 300, len: 1 } }, /above 255/],
      [{ blob: 'set', data: { fill: 1, len: 1 << 30 } }, /limit/],
      [{ blob: 'mix', data: '00' }, /unknown blob step/],
    ] as [Step, RegExp][]) {
      const r = run([step, { cmd: 'INIT' }]);
      expect(r.result.steps).toHaveLength(1);
      const s = r.result.steps[0];
      expect(s.status).toBe('SCRIPT_ERROR');
      expect('error' in s && s.error).toMatch(msg);
    }
    const mixed = run([{ blob: 'set', data: '01', save: { b: 'data' } }, { cmd: 'GET_ID', buf: { len: '$b' } }]);
    expect(mixed.result.steps[1]).toMatchObject({ status: 'SCRIPT_ERROR', error: expect.stringMatching(/blob, not a number/) as string });
  });

  it('saving a field absent from out is a SCRIPT_ERROR (e.g. an output blob after a failure)', () => {
    const r = run([{ cmd: 'INIT' }, { cmd: 'PDH_CERT_EXPORT', save: { p: 'pdh' } }, { cmd: 'SHUTDOWN' }]);
    expect(statuses(r)).toEqual(['SUCCESS', 'SCRIPT_ERROR']);
  });
});

describe('cmd steps (§17.3)', () => {
  it('out holds out/inout fields whatever the status; output blobs only on SUCCESS', () => {
    const r = run([{ cmd: 'INIT' }, { cmd: 'PDH_CERT_EXPORT' }, { cmd: 'PDH_CERT_EXPORT', buf: { pdh_len: 2084, chain_len: 6252 } }]);
    expect(r.result.steps[1]).toEqual({ status: 'INVALID_LEN', out: { pdh_len: 2084, chain_len: 6252 } });
    const ok = r.result.steps[2];
    expect('out' in ok && Object.keys(ok.out)).toEqual(['pdh_len', 'chain_len', 'pdh', 'chain']);
    expect('out' in ok && (ok.out.pdh as string).length).toBe(2084 * 2);
  });

  it('explicit X_len wins over the blob size; X_paddr 0 means no buffer', () => {
    const r = run([
      { cmd: 'INIT' },
      { cmd: 'PDH_CERT_EXPORT', buf: { pdh_len: 2084, chain_len: 6252 }, save: { pdh: 'pdh' } },
      { owner: 'session', pdh_cert: '$pdh', policy: 0, tek: { fill: 1, len: 16 }, tik: { fill: 2, len: 16 }, save: { d: 'dh_cert', s: 'session' } },
      { cmd: 'LAUNCH_START', buf: { dh_cert: '$d', session: '$s', session_len: 127 } },
      { cmd: 'LAUNCH_START', buf: { dh_cert: '$d', session: '$s', dh_cert_len: 2085 } },
      { cmd: 'LAUNCH_START', buf: { dh_cert: '$d', session: '$s', session_paddr: 0 } },
      { cmd: 'LAUNCH_START', buf: { dh_cert: '$d', session: '$s', dh_cert_paddr: 0 } },
      { cmd: 'LAUNCH_START', buf: { dh_cert: '$d', session: '$s' } },
    ]);
    expect(statuses(r).slice(3)).toEqual(['INVALID_LEN', 'INVALID_LEN', 'INVALID_ADDRESS', 'SUCCESS', 'SUCCESS']);
  });

  it('names, aliases and numeric ids; an id the FW does not know reaches the mailbox', () => {
    const r = run([
      { cmd: 'FACTORY_RESET' },
      { cmd: 4 },
      { cmd: '0x99' },
      { cmd: 'LAUNCH_UPDATE_SECRET', buf: { handle: 1 } },
      { cmd: 'BOGUS' },
    ]);
    expect(statuses(r)).toEqual(['SUCCESS', 'SUCCESS', 'INVALID_COMMAND', 'INVALID_PLATFORM_STATE', 'SCRIPT_ERROR']);
    expect(r.result.steps[1]).toEqual({ status: 'SUCCESS', out: { api_major: 1, api_minor: 55, state: 0, owner: 0, config: 0, build: 25, guest_count: 0 } });
  });

  it('malformed buf: unknown field, output blob given as input, value too wide, buf on a command without one', () => {
    for (const step of [
      { cmd: 'ACTIVATE', buf: { handel: 1 } },
      { cmd: 'SEND_START', buf: { session: '00' } },
      { cmd: 'ACTIVATE', buf: { handle: '0x100000000' } },
      { cmd: 'SHUTDOWN', buf: { handle: 1 } },
      { cmd: '0x99', buf: { handle: 1 } },
      { cmd: 'ACTIVATE', buf: [] },
    ] as Step[]) {
      expect(statuses(run([step]))).toEqual(['SCRIPT_ERROR']);
    }
  });

  it('guest addresses of an unknown handle reach the PSP, which reports INVALID_GUEST', () => {
    const r = run([{ cmd: 'INIT' }, { cmd: 'LAUNCH_START' }, { cmd: 'LAUNCH_UPDATE_DATA', buf: { handle: 9, paddr: 4096, len: 16 } }]);
    expect(statuses(r)).toEqual(['SUCCESS', 'SUCCESS', 'INVALID_GUEST']);
  });

  it('a guest address beyond the guest memory is not RAM (INVALID_ADDRESS)', () => {
    const r = run([
      { cmd: 'INIT' },
      { host: 'wbinvd' },
      { cmd: 'DF_FLUSH' },
      { cmd: 'LAUNCH_START', save: { h: 'handle' } },
      { cmd: 'ACTIVATE', buf: { handle: '$h', asid: 1 } },
      { cmd: 'LAUNCH_UPDATE_DATA', buf: { handle: '$h', paddr: '0x1000000', len: 16 } },
      { cmd: 'LAUNCH_UPDATE_DATA', buf: { handle: '$h', paddr: '0xfffff0', len: 32 } },
      { cmd: 'LAUNCH_UPDATE_DATA', buf: { handle: '$h', paddr: '0xfffffffffffffff0', len: 16 } },
    ]);
    expect(statuses(r).slice(5)).toEqual(['INVALID_ADDRESS', 'INVALID_ADDRESS', 'INVALID_ADDRESS']);
  });
});

describe('other steps (§17.4)', () => {
  it('mem: guest view through the VEK before any ACTIVATE, unaligned read-modify-write; host view is ciphertext', () => {
    const r = run([
      { cmd: 'INIT' },
      { cmd: 'LAUNCH_START', save: { h: 'handle' } },
      { mem: 'read', handle: '$h', gpa: 4098, len: 7, view: 'guest' },
      { mem: 'write', handle: '$h', gpa: 4099, view: 'guest', data: '0102030405' },
      { mem: 'read', handle: '$h', gpa: 4098, len: 7, view: 'guest' },
      { mem: 'read', handle: '$h', gpa: 4096, len: 16, view: 'host' },
      { mem: 'read', handle: '$h', gpa: '0xfffffc', len: 4, view: 'host' },
    ]);
    const data = r.result.steps.map((s) => ('out' in s ? (s.out.data as string | undefined) : undefined));
    // Zero DRAM read through the VEK is pseudo-random; the write changes only its 5 bytes.
    expect(data[2]).not.toBe('00000000000000');
    expect(data[4]).toBe(`${data[2]!.slice(0, 2)}0102030405${data[2]!.slice(12)}`);
    expect(data[5]).not.toContain('0102030405');
    expect(data[6]).toBe('00000000');
  });

  it('mem errors: unknown handle, beyond guest memory, bad view, no context to see through', () => {
    const base: Step[] = [{ cmd: 'INIT' }, { cmd: 'LAUNCH_START', save: { h: 'handle' } }];
    for (const [step, msg] of [
      [{ mem: 'read', handle: 2, gpa: 0, len: 1, view: 'host' }, /unknown handle/],
      [{ mem: 'read', handle: '$h', gpa: '0xffffff', len: 2, view: 'host' }, /outside the guest/],
      [{ mem: 'read', handle: '$h', gpa: 0, len: 2, view: 'both' }, /view/],
      [{ mem: 'peek', handle: '$h', gpa: 0, len: 2, view: 'host' }, /unknown mem/],
      [{ mem: 'read', handle: '$h', gpa: 0, len: 2, view: 'host', data: '00' }, /no key "data"/],
    ] as [Step, RegExp][]) {
      const s = run([...base, step]).result.steps[2];
      expect('error' in s && s.error).toMatch(msg);
    }
    const gone = run([...base, { cmd: 'DECOMMISSION', buf: { handle: '$h' } }, { mem: 'read', handle: '$h', gpa: 0, len: 2, view: 'guest' }]);
    expect(statuses(gone)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS', 'SCRIPT_ERROR']);
  });

  it('host: wbinvd; unknown host steps are SCRIPT_ERRORs', () => {
    expect(statuses(run([{ cmd: 'INIT' }, { cmd: 'DF_FLUSH' }, { host: 'wbinvd' }, { cmd: 'DF_FLUSH' }, { host: 'reboot' }]))).toEqual([
      'SUCCESS',
      'WBINVD_REQUIRED',
      'SUCCESS',
      'SUCCESS',
      'SCRIPT_ERROR',
    ]);
  });

  it('owner: session (GODH 2084 B, session 128 B) and secret (hdr 52 B); wrong sizes are SCRIPT_ERRORs', () => {
    const r = run([
      { cmd: 'INIT' },
      { cmd: 'PDH_CERT_EXPORT', buf: { pdh_len: 2084, chain_len: 6252 }, save: { pdh: 'pdh' } },
      { owner: 'session', pdh_cert: '$pdh', policy: 1, tek: { fill: 1, len: 16 }, tik: { fill: 2, len: 16 }, nonce: { fill: 3, len: 16 }, wrap_iv: { fill: 4, len: 16 } },
      { owner: 'secret', tek: { fill: 1, len: 16 }, tik: { fill: 2, len: 16 }, measure: { fill: 0, len: 48 }, iv: { fill: 5, len: 16 }, data: { fill: 6, len: 32 } },
      { owner: 'session', pdh_cert: '$pdh', policy: 1, tek: { fill: 1, len: 15 }, tik: { fill: 2, len: 16 } },
    ]);
    const [sess, secret] = r.result.steps.slice(2) as { out: Record<string, string> }[];
    expect([sess.out.dh_cert.length, sess.out.session.length]).toEqual([4168, 256]);
    expect(sess.out.session.slice(0, 32)).toBe('03'.repeat(16));
    expect([secret.out.hdr.length, secret.out.trans.length]).toEqual([104, 64]);
    expect(r.result.steps[4]).toMatchObject({ status: 'SCRIPT_ERROR' });
  });

  it('a step needs exactly one kind; "on" is needed with several platforms and must name one', () => {
    expect(statuses(run([{ note: 'nothing' }]))).toEqual(['SCRIPT_ERROR']);
    expect(statuses(run([{ cmd: 'INIT', host: 'wbinvd' }]))).toEqual(['SCRIPT_ERROR']);
    expect(statuses(run([{ cmd: 'INIT' }], { platforms: ['a', 'b'] }))).toEqual(['SCRIPT_ERROR']);
    expect(statuses(run([{ on: 'c', cmd: 'INIT' }], { platforms: ['a', 'b'] }))).toEqual(['SCRIPT_ERROR']);
    expect(statuses(run([{ on: 'b', cmd: 'INIT' }, { blob: 'set', data: '' }], { platforms: ['a', 'b'] }))).toEqual(['SUCCESS', 'SUCCESS']);
  });
});

describe('documents (§17.1, §17.5)', () => {
  it('a script that cannot be parsed gives the error result with no steps', () => {
    for (const bad of ['{', '[]', '{"format":"x","version":1,"steps":[]}', '{"format":"kvm-lab/psp-script","version":2,"steps":[]}',
      '{"format":"kvm-lab/psp-script","version":1}', '{"format":"kvm-lab/psp-script","version":1,"platforms":["a","a"],"steps":[]}',
      '{"format":"kvm-lab/psp-script","version":1,"seed":1.5,"steps":[]}']) {
      const r = runPspScript(bad, 'bad.json');
      expect(r.result).toEqual({ format: 'kvm-lab/psp-result', version: 1, file: 'bad.json', error: expect.any(String) as string, steps: [] });
      expect(r.mismatches).toHaveLength(1);
    }
  });

  it('same seed → same bytes; another seed → other keys and nonces', () => {
    const a = runPspScript(ref.launch, 'x');
    const b = runPspScript(ref.launch, 'x');
    const c = runPspScript({ ...ref.launch, seed: 2 }, 'x');
    expect(JSON.stringify(b.result)).toBe(JSON.stringify(a.result));
    expect(JSON.stringify(c.result)).not.toBe(JSON.stringify(a.result));
    expect(b.events).toEqual(a.events);
  });
});

describe('expectations (§17.6)', () => {
  it('names and hex are equal; numbers by value; blobs as bytes; unlisted fields ignored', () => {
    const r = run([
      { cmd: 'INIT' },
      { cmd: 'LAUNCH_START', expect: { status: '0x00', out: { handle: '0x1' } } },
      { cmd: 'LAUNCH_FINISH', buf: { handle: 1 }, expect: { status: '0x02' } },
      { cmd: 'LAUNCH_FINISH', buf: { handle: 1 }, expect: { status: 'SEV_RET_INVALID_GUEST_STATE' } },
      { blob: 'set', data: '070707', expect: { out: { data: { fill: 7, len: 3 } } } },
      { blob: 'set', data: '070707', expect: { out: { data: { fill: 7, len: 4 } } } },
      { blob: 'set', data: '07', expect: { out: { nothing: 1 } } },
      { cmd: 'GUEST_STATUS', buf: { handle: 1 }, expect: { out: { state: 2 } } },
    ]);
    expect(r.mismatches.map((m) => m.step)).toEqual([5, 6, 7]);
    expect(r.mismatches[0].message).toMatch(/out.data differs/);
    expect(r.mismatches[2].message).toMatch(/out.state = 1, expected 2/);
  });

  it('$name in expect, or an unknown status, makes the step a SCRIPT_ERROR', () => {
    expect(statuses(run([{ blob: 'set', data: '00', save: { x: 'data' } }, { blob: 'set', data: '00', expect: { out: { data: '$x' } } }]))).toEqual(['SUCCESS', 'SCRIPT_ERROR']);
    expect(statuses(run([{ cmd: 'INIT', expect: { status: 'FINE' } }]))).toEqual(['SCRIPT_ERROR']);
  });

  it('statuses print as §6 names, or hex for codes §6 does not name', () => {
    expect([statusName(0), statusName(0x11), statusName(0x1a), statusName(0x1234)]).toEqual(['SUCCESS', 'INVALID_COMMAND', '0x1A', '0x1234']);
  });
});
