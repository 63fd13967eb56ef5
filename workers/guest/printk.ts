/**
 * The guest's serial console: kernel messages as `[    0.000000] text`, seconds since the
 * kernel started (virtual time), and firmware lines without a timestamp. Each line is a
 * `console.line` event on console `serial@<host>` (component `guest` or `ovmf`).
 */
import type { HostContext } from '../host/context.js';

/** Writes lines to the serial console. */
export class SerialConsole {
  /** Virtual time the kernel started (0 until it does). */
  kernelStart = 0;

  constructor(private readonly ctx: HostContext) {}

  /** The console's name in events. */
  get name(): string {
    return `serial@${this.ctx.host}`;
  }

  /** A kernel message with its timestamp. */
  printk(text: string): void {
    const us = Math.max(0, Math.floor((this.ctx.clock.now() - this.kernelStart) / 1000));
    const s = Math.floor(us / 1_000_000);
    const stamp = `[${String(s).padStart(5, ' ')}.${String(us % 1_000_000).padStart(6, '0')}]`;
    this.line('guest', `${stamp} ${text}`);
  }

  /** A raw line (firmware output, or anything without a timestamp). */
  line(component: 'guest' | 'ovmf', text: string): void {
    this.ctx.emit({ host: this.ctx.host, component, kind: 'console.line', payload: { console: this.name, text } });
  }
}
