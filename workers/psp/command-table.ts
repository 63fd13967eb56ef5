/**
 * The mailbox command table: ids (reference §4), command-buffer layouts (§5) and how the
 * dispatcher treats each buffer (§1: which commands write their buffer back, and when).
 *
 * Field names are §5's. `dir` says who writes a field: `in` (host), `out` (firmware) or
 * `inout` (both; the length-query fields). Reserved words are not listed; they stay 0.
 * The psp-script runner (§17.3) and the event summaries read the same table, so a layout
 * is written down exactly once.
 */

/** Width of a packed little-endian field in bytes. */
export type FieldWidth = 1 | 2 | 4 | 8;

/** Who writes a field. */
export type FieldDir = 'in' | 'out' | 'inout';

/** One field of a command buffer. */
export interface BufferField {
  readonly name: string;
  readonly offset: number;
  readonly width: FieldWidth;
  readonly dir: FieldDir;
}

/**
 * How the dispatcher copies the buffer (FW sev_dispatch.c, §1):
 * - `none`: no buffer; the address is ignored.
 * - `input`: read in; nothing is written back.
 * - `output`: not read; written back on SUCCESS only (PLATFORM_STATUS).
 * - `inout`: read in; written back on SUCCESS only.
 * - `inout-error`: read in; written back on SUCCESS **and on INVALID_LEN**, so a length
 *   query gets the needed length (PEK_CSR, PDH_CERT_EXPORT, GET_ID, LAUNCH_MEASURE,
 *   SEND_START, SEND_UPDATE_DATA/VMSA).
 */
export type BufferMode = 'none' | 'input' | 'output' | 'inout' | 'inout-error';

/** One mailbox command of the lab. */
export interface CommandSpec {
  readonly id: number;
  readonly name: string;
  /** Size of the packed command buffer in bytes (§4 "Buf"). */
  readonly size: number;
  readonly mode: BufferMode;
  readonly fields: readonly BufferField[];
}

const f = (name: string, offset: number, width: FieldWidth, dir: FieldDir = 'in'): BufferField => ({
  name,
  offset,
  width,
  dir,
});

const HANDLE_ONLY = [f('handle', 0, 4)];
const LAUNCH_UPDATE = [f('handle', 0, 4), f('paddr', 8, 8), f('len', 16, 4)];
/** FW `sev_mcmd_transport_t`: one layout for LAUNCH_SECRET and SEND/RECEIVE_UPDATE_* (§5). */
const TRANSPORT_IN = [
  f('handle', 0, 4),
  f('hdr_paddr', 8, 8),
  f('hdr_len', 16, 4),
  f('guest_paddr', 24, 8),
  f('guest_len', 32, 4),
  f('trans_paddr', 40, 8),
  f('trans_len', 48, 4),
];
const TRANSPORT_OUT = TRANSPORT_IN.map((x) => (x.name === 'hdr_len' || x.name === 'trans_len' ? { ...x, dir: 'inout' as const } : x));
const START = (certName: string): BufferField[] => [
  f('handle', 0, 4, 'inout'),
  f('policy', 4, 4),
  f(`${certName}_paddr`, 8, 8),
  f(`${certName}_len`, 16, 4),
  f('session_paddr', 24, 8),
  f('session_len', 32, 4),
];
const DBG = [f('handle', 0, 4), f('src_paddr', 8, 8), f('dst_paddr', 16, 8), f('len', 24, 4)];

const spec = (id: number, name: string, size: number, mode: BufferMode, fields: BufferField[] = []): CommandSpec => ({
  id,
  name,
  size,
  mode,
  fields,
});

/** Every command the lab's firmware implements, by id order. */
export const COMMANDS: readonly CommandSpec[] = [
  spec(0x001, 'INIT', 20, 'input', [f('flags', 0, 4), f('tmr_paddr', 8, 8), f('tmr_len', 16, 4)]),
  spec(0x002, 'SHUTDOWN', 0, 'none'),
  spec(0x003, 'PLATFORM_RESET', 0, 'none'),
  spec(0x004, 'PLATFORM_STATUS', 12, 'output', [
    f('api_major', 0, 1, 'out'),
    f('api_minor', 1, 1, 'out'),
    f('state', 2, 1, 'out'),
    f('owner', 3, 1, 'out'),
    f('config', 4, 2, 'out'),
    f('build', 7, 1, 'out'),
    f('guest_count', 8, 4, 'out'),
  ]),
  spec(0x005, 'PEK_GEN', 0, 'none'),
  spec(0x006, 'PEK_CSR', 12, 'inout-error', [f('paddr', 0, 8), f('len', 8, 4, 'inout')]),
  spec(0x007, 'PEK_CERT_IMPORT', 28, 'input', [
    f('pek_paddr', 0, 8),
    f('pek_len', 8, 4),
    f('oca_paddr', 16, 8),
    f('oca_len', 24, 4),
  ]),
  spec(0x008, 'PDH_CERT_EXPORT', 28, 'inout-error', [
    f('pdh_paddr', 0, 8),
    f('pdh_len', 8, 4, 'inout'),
    f('chain_paddr', 16, 8),
    f('chain_len', 24, 4, 'inout'),
  ]),
  spec(0x009, 'PDH_GEN', 0, 'none'),
  spec(0x00a, 'DF_FLUSH', 0, 'none'),
  spec(0x00c, 'GET_ID', 12, 'inout-error', [f('paddr', 0, 8), f('len', 8, 4, 'inout')]),
  spec(0x020, 'DECOMMISSION', 4, 'input', HANDLE_ONLY),
  spec(0x021, 'ACTIVATE', 8, 'input', [f('handle', 0, 4), f('asid', 4, 4)]),
  spec(0x022, 'DEACTIVATE', 4, 'input', HANDLE_ONLY),
  spec(0x023, 'GUEST_STATUS', 13, 'inout', [
    f('handle', 0, 4),
    f('policy', 4, 4, 'out'),
    f('asid', 8, 4, 'out'),
    f('state', 12, 1, 'out'),
  ]),
  spec(0x030, 'LAUNCH_START', 36, 'inout', START('dh_cert')),
  spec(0x031, 'LAUNCH_UPDATE_DATA', 20, 'input', LAUNCH_UPDATE),
  spec(0x032, 'LAUNCH_UPDATE_VMSA', 20, 'input', LAUNCH_UPDATE),
  spec(0x033, 'LAUNCH_MEASURE', 20, 'inout-error', [f('handle', 0, 4), f('paddr', 8, 8), f('len', 16, 4, 'inout')]),
  spec(0x034, 'LAUNCH_SECRET', 52, 'input', TRANSPORT_IN),
  spec(0x035, 'LAUNCH_FINISH', 4, 'input', HANDLE_ONLY),
  spec(0x040, 'SEND_START', 68, 'inout-error', [
    f('handle', 0, 4),
    f('policy', 4, 4, 'out'),
    f('pdh_cert_paddr', 8, 8),
    f('pdh_cert_len', 16, 4),
    f('plat_certs_paddr', 24, 8),
    f('plat_certs_len', 32, 4),
    f('amd_certs_paddr', 40, 8),
    f('amd_certs_len', 48, 4),
    f('session_paddr', 56, 8),
    f('session_len', 64, 4, 'inout'),
  ]),
  spec(0x041, 'SEND_UPDATE_DATA', 52, 'inout-error', TRANSPORT_OUT),
  spec(0x042, 'SEND_UPDATE_VMSA', 52, 'inout-error', TRANSPORT_OUT),
  spec(0x043, 'SEND_FINISH', 4, 'input', HANDLE_ONLY),
  spec(0x044, 'SEND_CANCEL', 4, 'input', HANDLE_ONLY),
  spec(0x050, 'RECEIVE_START', 36, 'inout', START('pdh_cert')),
  spec(0x051, 'RECEIVE_UPDATE_DATA', 52, 'input', TRANSPORT_IN),
  spec(0x052, 'RECEIVE_UPDATE_VMSA', 52, 'input', TRANSPORT_IN),
  spec(0x053, 'RECEIVE_FINISH', 4, 'input', HANDLE_ONLY),
  spec(0x060, 'DBG_DECRYPT', 28, 'input', DBG),
  spec(0x061, 'DBG_ENCRYPT', 28, 'input', DBG),
];

/** Other names scripts and Linux use for the same ids (§4). */
export const COMMAND_ALIASES: Readonly<Record<string, string>> = {
  FACTORY_RESET: 'PLATFORM_RESET',
  LAUNCH_UPDATE_SECRET: 'LAUNCH_SECRET',
};

const BY_ID = new Map(COMMANDS.map((c) => [c.id, c]));
const BY_NAME = new Map(COMMANDS.map((c) => [c.name, c]));

/** The command with mailbox id `id`, if the lab's firmware implements it. */
export function commandById(id: number): CommandSpec | undefined {
  return BY_ID.get(id);
}

/** The command called `name` (a §4 name or an alias), if any. */
export function commandByName(name: string): CommandSpec | undefined {
  return BY_NAME.get(COMMAND_ALIASES[name] ?? name);
}

/** Named mailbox ids, for code that issues commands (`SevCmd.SEND_START`). */
export const SevCmd = Object.fromEntries(COMMANDS.map((c) => [c.name, c.id])) as Readonly<Record<SevCmdName, number>>;

/** A command name the lab implements. */
export type SevCmdName =
  | 'INIT' | 'SHUTDOWN' | 'PLATFORM_RESET' | 'PLATFORM_STATUS' | 'PEK_GEN' | 'PEK_CSR'
  | 'PEK_CERT_IMPORT' | 'PDH_CERT_EXPORT' | 'PDH_GEN' | 'DF_FLUSH' | 'GET_ID' | 'DECOMMISSION'
  | 'ACTIVATE' | 'DEACTIVATE' | 'GUEST_STATUS' | 'LAUNCH_START' | 'LAUNCH_UPDATE_DATA'
  | 'LAUNCH_UPDATE_VMSA' | 'LAUNCH_MEASURE' | 'LAUNCH_SECRET' | 'LAUNCH_FINISH' | 'SEND_START'
  | 'SEND_UPDATE_DATA' | 'SEND_UPDATE_VMSA' | 'SEND_FINISH' | 'SEND_CANCEL' | 'RECEIVE_START'
  | 'RECEIVE_UPDATE_DATA' | 'RECEIVE_UPDATE_VMSA' | 'RECEIVE_FINISH' | 'DBG_DECRYPT' | 'DBG_ENCRYPT';
