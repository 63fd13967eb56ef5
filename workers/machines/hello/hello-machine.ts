/**
 * `hello`: the smallest machine, used by the foundation's default scenario, the CLI's
 * `events` command and the engine's own tests. Two hosts exchange a greeting over the
 * wire; every action is one event, time comes from a toy cost model, and the greeting's
 * nonce comes from the seeded RNG so determinism is visible in the output.
 */
import { NS } from '../../core/clock.js';
import { DocumentError, isObject } from '../../core/documents.js';
import type { Json } from '../../core/events.js';
import type { InputResult, Machine, MachineContext, MachineKind } from '../../core/machine.js';
import { bytesToHex } from '@noble/hashes/utils.js';

declare module '../../core/events.js' {
  interface EventKinds {
    'hello.power-on': { vcpus: number };
    'hello.send': { bytes: number; nonce: string };
    'hello.receive': { bytes: number; nonce: string };
    'hello.halt': Record<string, never>;
  }
}

interface HelloState {
  pc: number;
  greetings: number;
  sent: number;
  nonce: string;
}

const STEPS_PER_GREETING = 3;

class HelloMachine implements Machine {
  constructor(
    private readonly ctx: MachineContext,
    private readonly greetings: number,
    private readonly s: HelloState,
  ) {}

  step(): boolean {
    const { ctx, s } = this;
    const last = 1 + this.greetings * STEPS_PER_GREETING;
    if (s.pc > last) return false;
    if (s.pc === 0) {
      ctx.emit({ host: 'src', component: 'vmm@src', kind: 'hello.power-on', payload: { vcpus: 1 } });
      ctx.emit({ host: 'src', component: 'guest', kind: 'console.line', payload: { console: 'serial@src', text: 'Hello from the guest.' } });
    } else if (s.pc === last) {
      ctx.emit({ host: 'src', component: 'vmm@src', kind: 'hello.halt', payload: {} });
    } else {
      const phase = (s.pc - 1) % STEPS_PER_GREETING;
      if (phase === 0) {
        s.nonce = bytesToHex(ctx.rng.bytes(8));
        ctx.clock.advance(5 * NS.us);
        ctx.emit({ host: 'src', component: 'guest', kind: 'console.line', payload: { console: 'serial@src', text: `greeting ${s.sent + 1}: nonce ${s.nonce}` } });
      } else if (phase === 1) {
        ctx.clock.advance(40 * NS.us);
        ctx.emit({ host: 'src', component: 'wire', kind: 'hello.send', payload: { bytes: 64, nonce: s.nonce } });
      } else {
        ctx.clock.advance(60 * NS.us);
        s.sent++;
        ctx.emit({ host: 'dst', component: 'vmm@dst', kind: 'hello.receive', payload: { bytes: 64, nonce: s.nonce } });
      }
    }
    s.pc++;
    return true;
  }

  input(input: Json): InputResult {
    if (isObject(input) && input.monitor === 'info status') {
      const text = this.s.pc > 1 + this.greetings * STEPS_PER_GREETING ? 'VM status: paused (shutdown)' : 'VM status: running';
      this.ctx.emit({ host: 'src', component: 'vmm@src', kind: 'console.line', payload: { console: 'monitor@src', text } });
      return { ok: true, text };
    }
    return { ok: false, text: `unknown command: ${JSON.stringify(input)}` };
  }

  snapshot(): Json {
    return { ...this.s };
  }

  summary(): Json {
    return { greetingsSent: this.s.sent, of: this.greetings };
  }
}

function readGreetings(params: Json): number {
  return isObject(params) && typeof params.greetings === 'number' ? params.greetings : 3;
}

/** The `hello` machine kind. Params: `{greetings?: 1..1000}` (default 3). */
export const helloMachine: MachineKind = {
  kind: 'hello',
  validate(params, path) {
    if (!isObject(params)) throw new DocumentError(path, 'expected an object');
    const g = params.greetings;
    if (g !== undefined && (typeof g !== 'number' || !Number.isInteger(g) || g < 1 || g > 1000)) {
      throw new DocumentError(`${path}.greetings`, 'expected an integer 1..1000');
    }
  },
  create(ctx, params) {
    return new HelloMachine(ctx, readGreetings(params), { pc: 0, greetings: 0, sent: 0, nonce: '' });
  },
  restore(ctx, params, state) {
    if (!isObject(state)) throw new DocumentError('machine', 'expected the hello machine state');
    return new HelloMachine(ctx, readGreetings(params), { ...(state as unknown as HelloState) });
  },
};
