/**
 * The VMM's human monitor (QEMU HMP, monitor/hmp.c): parses a command line, dispatches
 * it, and answers with QEMU's texts: `unknown command: 'foo'` (for `info foo`:
 * `unknown command: 'info foo'`), argument errors followed by
 * `Try "help x" for more information`, `x: extraneous characters at the end of line`,
 * help lines `name params -- help`.
 *
 * Commands: `help|?`, `info status|sev|mem-encryption`, `x`, `xp`, `system_reset`, `stop`,
 * `cont|c`. `info mem-encryption` is the lab's own command (QEMU has none): the
 * shared-regions list, the migration MSR and the blockers.
 */
import type { Vmm } from '../vmm.js';
import { ExprError, parseExpr } from './expr.js';
import { memoryDump, virtToPhys, type DumpFormat } from './memory-dump.js';

/** What the monitor acts on. */
export interface MonitorTarget {
  readonly vmm: Vmm;
  systemReset(): void;
}

/** One HMP command: `name` (aliases split by `|`), its params and help text, its handler. */
export interface HmpCommand {
  name: string;
  params: string;
  help: string;
  run?: (args: string) => string[];
}
type Cmd = HmpCommand;

/** The HMP monitor of one VMM. */
export class Hmp {
  private fmtFormat = 'x';
  private fmtSize = 4;
  private readonly cmds: Cmd[];
  private readonly info: Cmd[];

  constructor(private readonly t: MonitorTarget) {
    this.info = [
      { name: 'mem-encryption', params: '', help: 'show the SEV shared-regions list and the migration MSR (kvm-lab)', run: () => this.infoMemEncryption() },
      { name: 'sev', params: '', help: 'show SEV information', run: () => this.infoSev() },
      { name: 'status', params: '', help: 'show the current VM status (running|paused)', run: () => this.infoStatus() },
    ];
    this.cmds = [
      { name: 'cont|c', params: '', help: 'resume emulation', run: () => (this.t.vmm.cont(), []) },
      { name: 'help|?', params: '[cmd]', help: 'show the help', run: (a) => this.help(a.trim()) },
      { name: 'info', params: '[subcommand]', help: 'show various information about the system state' },
      { name: 'stop', params: '', help: 'stop emulation', run: () => (this.t.vmm.stop(), []) },
      { name: 'system_reset', params: '', help: 'reset the system', run: () => (this.t.systemReset(), []) },
      { name: 'x', params: '/fmt addr', help: "virtual memory dump starting at 'addr'", run: (a) => this.dump('x', a, false) },
      { name: 'xp', params: '/fmt addr', help: "physical memory dump starting at 'addr'", run: (a) => this.dump('xp', a, true) },
    ];
  }

  /** Adds a command (the migration commands, ...); the table stays sorted as QEMU's help is. */
  addCommand(c: HmpCommand): void {
    this.cmds.push(c);
    this.cmds.sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Adds an `info` subcommand. */
  addInfo(c: HmpCommand): void {
    this.info.push(c);
    this.info.sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Runs one command line; returns the lines QEMU would print. */
  execute(line: string): string[] {
    const m = /^\s*([^\s/]*)/.exec(line)!;
    const name = m[1];
    if (name === '') return [];
    const rest = line.slice(m[0].length);
    const cmd = this.find(this.cmds, name);
    if (!cmd) return [`unknown command: '${line.trimStart().slice(0, name.length)}'`];
    if (cmd.name === 'info') {
      const sub = /^\s*(\S*)/.exec(rest)!;
      if (sub[1] === '') return this.info.map((c) => helpLine(c, 'info '));
      const ic = this.find(this.info, sub[1]);
      if (!ic) return [`unknown command: '${line.trimStart().slice(0, line.trimStart().indexOf(sub[1]) + sub[1].length)}'`];
      if (rest.slice(sub[0].length).trim() !== '') return [`info: extraneous characters at the end of line`, `Try "help info ${sub[1]}" for more information`];
      return ic.run!('');
    }
    return cmd.run!(rest);
  }

  private find(table: Cmd[], name: string): Cmd | undefined {
    return table.find((c) => c.name.split('|').includes(name));
  }

  private help(arg: string): string[] {
    if (!arg) return this.cmds.map((c) => helpLine(c, ''));
    const [a, b] = arg.split(/\s+/);
    const c = this.find(this.cmds, a);
    if (!c) return [`unknown command: '${a}'`];
    if (c.name === 'info') {
      if (!b) return this.info.map((x) => helpLine(x, 'info '));
      const ic = this.find(this.info, b);
      return ic ? [helpLine(ic, 'info ')] : [`unknown command: 'info ${b}'`];
    }
    return [helpLine(c, '')];
  }

  private infoStatus(): string[] {
    const rs = this.t.vmm.runstate;
    if (rs === 'running') return ['VM status: running'];
    return [rs === 'paused' ? 'VM status: paused' : `VM status: paused (${rs})`];
  }

  private infoSev(): string[] {
    const i = this.t.vmm.sev.info();
    if (!i.enabled) return ['SEV is not enabled'];
    return [
      `handle: ${i.handle}`,
      `state: ${i.state}`,
      `build: ${i.build}`,
      `api version: ${i.apiMajor}.${i.apiMinor}`,
      `debug: ${i.policy & 0x1 ? 'off' : 'on'}`,
      `key-sharing: ${i.policy & 0x2 ? 'off' : 'on'}`,
    ];
  }

  private infoMemEncryption(): string[] {
    const v = this.t.vmm;
    const regions = v.shared.regions();
    const pages = v.shared.normalized().reduce((n, r) => n + (r.end - r.start), 0);
    const h = (n: number): string => `0x${n.toString(16).padStart(16, '0')}`;
    const abi = v.kvm.abi;
    return [
      `ABI: ${abi.id} (hypercall ${abi.hypercall.nr} = ${abi.hypercall.name})`,
      `shared regions: ${regions.length} (${pages} pages)`,
      ...regions.map((r) => `  gfn [0x${r.start.toString(16)}, 0x${r.end.toString(16)})  gpa ${h(r.start * 4096)}-${h(r.end * 4096 - 1)}  ${r.end - r.start} pages`),
      `${abi.msr.name} (0x${abi.msr.index.toString(16)}): 0x${v.migrationMsr.value.toString(16)}${v.migrationMsr.ready ? ` (${abi.msr.enableName})` : ''}`,
      v.blockers.allowed ? 'migration: allowed' : `migration: blocked (${v.blockers.list().join('; ')})`,
    ];
  }

  private dump(name: string, args: string, physical: boolean): string[] {
    let p = args.replace(/^\s+/, '');
    let f: DumpFormat;
    if (p.startsWith('/')) {
      p = p.slice(1);
      const cm = /^\d*/.exec(p)![0];
      let count = cm ? Number(cm) : 1;
      p = p.slice(cm.length);
      let format = -1 as number | string;
      let size = -1;
      for (;;) {
        const c = p[0];
        if (c && 'oduxic'.includes(c)) format = c;
        else if (c === 'b') size = 1;
        else if (c === 'h') size = 2;
        else if (c === 'w') size = 4;
        else if (c === 'g' || c === 'L') size = 8;
        else break;
        p = p.slice(1);
      }
      if (p.length && !/^\s/.test(p)) return [`invalid char in format: '${p[0]}'`, `Try "help ${name}" for more information`];
      if (format === -1) format = this.fmtFormat;
      if (size < 0) size = this.fmtSize;
      this.fmtSize = size;
      this.fmtFormat = format as string;
      if (count < 1) count = 1;
      f = { count, format: format as string, size };
    } else f = { count: 1, format: this.fmtFormat, size: this.fmtSize };
    if (f.format === 'i') return ['format i (disassembly) is not available in kvm-lab'];
    let addr: bigint;
    try {
      const r = parseExpr(p);
      addr = r.value;
      if (r.rest.trim() !== '') return [`${name}: extraneous characters at the end of line`, `Try "help ${name}" for more information`];
    } catch (e) {
      if (e instanceof ExprError) return [e.message, `Try "help ${name}" for more information`];
      throw e;
    }
    const ram = this.t.vmm.ram;
    return memoryDump(f, addr, physical, (a, len) => {
      const gpa = physical ? (a <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(a) : undefined) : virtToPhys(a);
      return gpa === undefined ? undefined : ram.readRaw(gpa, len);
    });
  }
}

function helpLine(c: Cmd, prefix: string): string {
  return `${prefix}${c.name} ${c.params} -- ${c.help}`;
}
