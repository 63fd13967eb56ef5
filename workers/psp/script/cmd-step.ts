/**
 * `cmd` steps of psp-script v1 (reference §17.3): one mailbox command each. The runner
 * builds the command buffer from `buf` (§5 field names, blob names for host buffers,
 * guest addresses mapped into the named guest's memory), places it and every input blob
 * in host memory, issues the command, and reads back `out`: every out/inout field of the
 * buffer whatever the status, and the output blobs on SUCCESS only.
 */
import { type Json } from '../../core/events.js';
import { CommandBuffer } from '../buffers.js';
import { commandById, commandByName, type BufferField, type CommandSpec } from '../command-table.js';
import { SevStatus, statusName } from '../status.js';
import { type ScriptPlatform } from './platform.js';
import { hexOut, MAX_BLOB_LEN, ScriptError, type Values } from './values.js';

/** An input blob: copied to host memory; sets `paddr` and `len` (unless given explicitly). */
interface InBlob {
  paddr: string;
  len: string;
}

/** An output blob: the runner allocates `alloc` bytes at `paddr`; `out` bytes are read back. */
interface OutBlob {
  paddr: string;
  alloc: string;
  out: string;
}

const inb = (x: string): InBlob => ({ paddr: `${x}_paddr`, len: `${x}_len` });
const outb = (x: string, out = `${x}_len`): OutBlob => ({ paddr: `${x}_paddr`, alloc: `${x}_len`, out });
const TRANSPORT_IN = { hdr: inb('hdr'), trans: inb('trans') };

/** Host-buffer blobs by command (§17.3 table). */
const BLOBS: Readonly<Record<string, { in?: Record<string, InBlob>; out?: Record<string, OutBlob> }>> = {
  PEK_CSR: { out: { data: { paddr: 'paddr', alloc: 'len', out: 'len' } } },
  GET_ID: { out: { data: { paddr: 'paddr', alloc: 'len', out: 'len' } } },
  LAUNCH_MEASURE: { out: { data: { paddr: 'paddr', alloc: 'len', out: 'len' } } },
  PEK_CERT_IMPORT: { in: { pek: inb('pek'), oca: inb('oca') } },
  PDH_CERT_EXPORT: { out: { pdh: outb('pdh'), chain: outb('chain') } },
  LAUNCH_START: { in: { dh_cert: inb('dh_cert'), session: inb('session') } },
  RECEIVE_START: { in: { pdh_cert: inb('pdh_cert'), session: inb('session') } },
  SEND_START: { in: { pdh_cert: inb('pdh_cert'), plat_certs: inb('plat_certs'), amd_certs: inb('amd_certs') }, out: { session: outb('session') } },
  LAUNCH_SECRET: { in: TRANSPORT_IN },
  RECEIVE_UPDATE_DATA: { in: TRANSPORT_IN },
  RECEIVE_UPDATE_VMSA: { in: TRANSPORT_IN },
  SEND_UPDATE_DATA: { out: { hdr: outb('hdr'), trans: { paddr: 'trans_paddr', alloc: 'trans_len', out: 'guest_len' } } },
  SEND_UPDATE_VMSA: { out: { hdr: outb('hdr'), trans: { paddr: 'trans_paddr', alloc: 'trans_len', out: 'guest_len' } } },
  DBG_ENCRYPT: { in: { src: { paddr: 'src_paddr', len: 'len' } } },
  DBG_DECRYPT: { out: { dst: { paddr: 'dst_paddr', alloc: 'len', out: 'len' } } },
};

/** Fields that hold guest-physical addresses of the guest named by `handle` (§17.3). */
const GUEST_ADDRESS: Readonly<Record<string, string>> = {
  LAUNCH_UPDATE_DATA: 'paddr',
  LAUNCH_UPDATE_VMSA: 'paddr',
  LAUNCH_SECRET: 'guest_paddr',
  SEND_UPDATE_DATA: 'guest_paddr',
  SEND_UPDATE_VMSA: 'guest_paddr',
  RECEIVE_UPDATE_DATA: 'guest_paddr',
  RECEIVE_UPDATE_VMSA: 'guest_paddr',
  DBG_DECRYPT: 'src_paddr',
  DBG_ENCRYPT: 'dst_paddr',
};

/** A step's result before expectations: status name and out. */
export interface CmdOutcome {
  status: string;
  out: Record<string, Json>;
}

/** Resolves `cmd`: a §4 name or alias, a numeric id, or `$name`. */
function resolveCommand(v: Json | undefined, values: Values): { id: number; spec: CommandSpec | undefined } {
  if (typeof v === 'string' && !v.startsWith('$') && !v.startsWith('0x')) {
    const spec = commandByName(v);
    if (!spec) throw new ScriptError(`unknown command ${JSON.stringify(v)}`);
    return { id: spec.id, spec };
  }
  const n = values.number(v, 'cmd');
  if (n > 0xffffn) throw new ScriptError(`command id ${n} does not fit the mailbox`);
  return { id: Number(n), spec: commandById(Number(n)) };
}

function checkWidth(f: BufferField, v: bigint): bigint {
  if (v >= 1n << BigInt(8 * f.width)) throw new ScriptError(`buf.${f.name}: ${v} does not fit ${f.width} byte(s)`);
  return v;
}

/** Runs one `cmd` step on platform `p`. */
export function runCmdStep(p: ScriptPlatform, step: Record<string, Json>, values: Values): CmdOutcome {
  const { id, spec } = resolveCommand(step.cmd, values);
  const rawBuf = step.buf ?? {};
  if (typeof rawBuf !== 'object' || rawBuf === null || Array.isArray(rawBuf)) throw new ScriptError('buf: expected an object');
  const blobs = spec ? BLOBS[spec.name] ?? {} : {};
  const explicit = new Map<string, bigint>();
  const inputs = new Map<string, Uint8Array>();
  for (const [key, v] of Object.entries(rawBuf)) {
    const field = spec?.fields.find((f) => f.name === key);
    if (field) explicit.set(key, checkWidth(field, values.number(v, `buf.${key}`)));
    else if (blobs.in?.[key]) inputs.set(key, values.blob(v, `buf.${key}`));
    else if (blobs.out?.[key]) throw new ScriptError(`buf.${key} is an output; request it by its length (${blobs.out[key].alloc})`);
    else throw new ScriptError(`buf.${key}: ${spec ? `${spec.name} has no such field` : `command 0x${id.toString(16)} takes no buf`}`);
  }
  const size = spec?.size ?? 0;
  const buf = new CommandBuffer(size);
  const fieldNamed = (name: string): BufferField => spec!.fields.find((f) => f.name === name)!;
  for (const [name, v] of explicit) buf.set(fieldNamed(name), v);
  for (const [name, bytes] of inputs) {
    const b = blobs.in![name];
    const len = explicit.get(b.len) ?? BigInt(bytes.length);
    buf.set(fieldNamed(b.len), checkWidth(fieldNamed(b.len), len));
    if (!explicit.has(b.paddr)) buf.set(fieldNamed(b.paddr), p.place(bytes, len <= BigInt(MAX_BLOB_LEN) ? Number(len) : 0));
  }
  for (const b of Object.values(blobs.out ?? {})) {
    if (!explicit.has(b.paddr)) buf.set(fieldNamed(b.paddr), p.alloc(Number(explicit.get(b.alloc) ?? 0n)));
  }
  const handle = Number(explicit.get('handle') ?? 0n);
  const gaField = spec ? GUEST_ADDRESS[spec.name] : undefined;
  if (gaField) buf.set(fieldNamed(gaField), p.guestSpa(handle, explicit.get(gaField) ?? 0n));

  const addr = size > 0 ? p.place(buf.bytes) : 0n;
  const status = p.psp.command(id, addr);

  const out: Record<string, Json> = {};
  const after = new CommandBuffer(size > 0 ? p.hw.memory.read(Number(addr), size)! : new Uint8Array(0));
  for (const f of spec?.fields ?? []) if (f.dir !== 'in') out[f.name] = Number(after.get(f));
  if (status === SevStatus.SUCCESS) {
    for (const [name, b] of Object.entries(blobs.out ?? {})) {
      const len = Math.min(Number(after.get(fieldNamed(b.out))), MAX_BLOB_LEN);
      const bytes = p.hw.memory.read(Number(after.get(fieldNamed(b.paddr))), len);
      if (bytes) out[name] = hexOut(bytes);
    }
    if (spec?.name === 'LAUNCH_START' || spec?.name === 'RECEIVE_START') p.newGuestMemory(after.u32(0));
  }
  return { status: statusName(status), out };
}
