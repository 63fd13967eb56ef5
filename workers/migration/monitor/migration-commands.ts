/**
 * The migration commands of a host's HMP monitor (QEMU 6.x hmp-commands.hx /
 * monitor/hmp-cmds.c; reference §4.9, §5.6): `migrate [-d] uri`, `migrate_cancel`,
 * `migrate_set_parameter`, `migrate_set_capability`, `migrate_incoming`, `info migrate`,
 * `info migrate_parameters`, `info migrate_capabilities`, and — as the lab's way to run
 * the QMP command the series documents for the target — `query-sev-capabilities`, which
 * answers QMP's JSON. Errors print as QEMU's `Error: ...` (hmp_handle_error); a missing
 * argument as `NAME: string expected` and the `Try "help NAME"` line.
 *
 * [U] lab choices: `migrate` without `-d` does not suspend the monitor (the lab's console
 * never blocks); only `tcp:HOST:PORT` URIs exist.
 */
import { hexToBytes } from '@noble/hashes/utils.js';
import type { Hmp } from '../../vmm/monitor/hmp.js';
import type { HostRuntime } from '../host/host-runtime.js';
import { toBase64 } from '../sev/base64.js';
import { getChipId, pdhCertExport } from '../sev/sev-ioctl.js';
import { CAPABILITIES, formatParameters, setParameter } from '../source/migrate-params.js';
import type { MigrationSource } from '../source/migration-source.js';
import type { MigrationTarget } from '../target/migration-target.js';
import type { WireEndpoint } from '../wire.js';
import { infoMigrate, infoMigrateCapabilities } from './info-migrate.js';

/** What the commands act on. */
export interface MigrationMonitorTarget {
  readonly rt: HostRuntime;
  readonly source: MigrationSource;
  /** The incoming side (every lab host has one; it listens only when told to). */
  readonly target: MigrationTarget;
  /** Resolves `tcp:HOST:PORT` to the link to that host, or QEMU's connect error. */
  connect(host: string, port: string): WireEndpoint | string;
}

const err = (m: string): string[] => [`Error: ${m}`];

function words(args: string): string[] {
  return args.trim().split(/\s+/).filter((w) => w.length > 0);
}

function missing(name: string): string[] {
  return [`${name}: string expected`, `Try "help ${name}" for more information`];
}

/** Adds the migration commands to `hmp`. */
export function addMigrationCommands(hmp: Hmp, t: MigrationMonitorTarget): void {
  hmp.addCommand({
    name: 'migrate',
    params: '[-d] uri',
    help: 'migrate to URI (using -d to not wait for completion)',
    run: (a) => {
      const w = words(a).filter((x) => x !== '-d');
      if (w.length === 0) return missing('migrate');
      const m = /^tcp:([^:]+):(\d+)$/.exec(w[0]);
      if (!m) return err("Parameter 'uri' expects a valid migration protocol");
      const ep = t.connect(m[1], m[2]);
      if (typeof ep === 'string') return err(ep);
      const e = t.source.migrate(`${m[1]}:${m[2]}`, ep);
      return e ? err(e) : [];
    },
  });
  hmp.addCommand({ name: 'migrate_cancel', params: '', help: 'cancel the current VM migration', run: () => (t.source.cancel(), []) });
  hmp.addCommand({
    name: 'migrate_set_parameter',
    params: 'parameter value',
    help: 'Set the parameter for migration',
    run: (a) => {
      const m = /^\s*(\S+)\s+(\S.*)$/.exec(a);
      if (!m) return missing('migrate_set_parameter');
      const e = setParameter(t.source.params, m[1], m[2].trim());
      return e ? err(e) : [];
    },
  });
  hmp.addCommand({
    name: 'migrate_set_capability',
    params: 'capability state',
    help: 'Enable/Disable the usage of a capability for migration',
    run: (a) => {
      const w = words(a);
      if (w.length < 2) return missing('migrate_set_capability');
      if (w[1] !== 'on' && w[1] !== 'off') return ["Expected 'on' or 'off'", 'Try "help migrate_set_capability" for more information'];
      if (!(CAPABILITIES as readonly string[]).includes(w[0])) return err(`invalid parameter value: ${w[0]}`);
      if (t.source.running) return err("There's a migration process in progress");
      if (w[1] === 'on') t.source.capabilities.add(w[0]);
      else t.source.capabilities.delete(w[0]);
      return w[0] === 'auto-converge' || w[1] === 'off' ? [] : [`(kvm-lab models only auto-converge; ${w[0]} is recorded and has no effect)`];
    },
  });
  hmp.addCommand({
    name: 'migrate_incoming',
    params: 'uri',
    help: 'Continue an incoming migration from an -incoming defer',
    run: (a) => {
      const w = words(a);
      if (w.length === 0) return missing('migrate_incoming');
      if (t.rt.host.vmm.runstate !== 'inmigrate') return err("'-incoming' was not specified on the command line");
      const e = t.target.listen(w[0]);
      return e ? err(e) : [];
    },
  });
  hmp.addCommand({
    name: 'query-sev-capabilities',
    params: '',
    help: "(QMP) the platform's PDH, certificate chain, cpu0-id, cbitpos and reduced-phys-bits (kvm-lab)",
    run: () => [querySevCapabilities(t.rt)],
  });
  hmp.addInfo({ name: 'migrate', params: '', help: 'show migration status', run: () => infoMigrate(t.source, t.target) });
  hmp.addInfo({ name: 'migrate_capabilities', params: '', help: 'show current migration capabilities', run: () => infoMigrateCapabilities(t.source.capabilities, CAPABILITIES) });
  hmp.addInfo({ name: 'migrate_parameters', params: '', help: 'show current migration parameters', run: () => formatParameters(t.source.params) });
}

/**
 * QMP `query-sev-capabilities` (reference §4.9; QEMU `sev_get_capabilities`): the PDH
 * and the platform chain from PDH_CERT_EXPORT, the C-bit position and reduced physical
 * bits from CPUID 0x8000001F, and (later QEMU) `cpu0-id` from GET_ID — as QMP JSON.
 */
export function querySevCapabilities(rt: HostRuntime): string {
  const vmm = rt.host.vmm;
  const e = pdhCertExport(vmm);
  if ('error' in e) return JSON.stringify({ error: { class: 'GenericError', desc: `SEV: Failed to export PDH cert ret=-5 fw_err=${e.error}` } });
  const cpu = rt.host.hw.cpu;
  const id = getChipId(vmm);
  return JSON.stringify({
    return: {
      pdh: toBase64(e.pdh),
      'cert-chain': toBase64(e.chain),
      ...(id ? { 'cpu0-id': toBase64(hexToBytes(id)) } : {}),
      cbitpos: cpu.cBit,
      'reduced-phys-bits': 1,
    },
  });
}
