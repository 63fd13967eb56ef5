/**
 * The memory controller (reference §13): every access to system-physical memory goes
 * through it. An access with the C-bit set is encrypted or decrypted with the key in the
 * key slot of the accessing ASID, through the §13 memory cipher (VEK + address tweak);
 * an access with the C-bit clear passes the DRAM bytes through unchanged.
 *
 * Key slots are written only by the PSP (ACTIVATE installs a guest's VEK for its ASID);
 * nothing can read a key back. The PSP itself also encrypts with a guest's key "in hand"
 * (LAUNCH_UPDATE_DATA, RECEIVE_UPDATE_DATA, DBG_*): that is the same engine, reached
 * through {@link MemoryController.readWith} / {@link MemoryController.writeWith}.
 *
 * Accesses need not be aligned: a partial 16-byte block is read, decrypted, patched,
 * re-encrypted and written back, as a CPU's read-modify-write of a cache line would.
 */
import { type MemoryCipher } from '../crypto/index.js';
import { type HostMemory } from './host-memory.js';

/** How an access is made: by which ASID (0 = the host) and whether the C-bit is set. */
export interface MemoryAccess {
  readonly asid: number;
  readonly encrypted: boolean;
}

/** The host's own access: ASID 0, C-bit clear (what the hypervisor sees). */
export const HOST_ACCESS: MemoryAccess = { asid: 0, encrypted: false };

const BLOCK = 16;

/** The memory controller of one host. */
export class MemoryController {
  private readonly slots = new Map<number, MemoryCipher>();
  private scratch = new Uint8Array(4096);

  constructor(readonly memory: HostMemory) {}

  /**
   * Loads `cipher` (a guest's VEK) into the key slot of `asid` — PSP only (ACTIVATE).
   * The key stays in the slot until another ACTIVATE replaces it, as the FW leaves it.
   */
  installKey(asid: number, cipher: MemoryCipher): void {
    this.slots.set(asid, cipher);
  }

  /** Empties every key slot (SHUTDOWN / INIT). */
  clearKeys(): void {
    this.slots.clear();
  }

  /** True when the slot of `asid` holds a key. */
  hasKey(asid: number): boolean {
    return this.slots.has(asid);
  }

  /**
   * The engine in the slot of `asid` — PSP only: the firmware's look-ahead (psp/ahead/)
   * computes page writes and reads with it in bulk, and checks by identity that the slot
   * still holds it when a command takes the result.
   */
  slotCipher(asid: number): MemoryCipher | undefined {
    return this.slots.get(asid);
  }

  /**
   * Reads `len` bytes at `spa` as an access `access` sees them. Undefined when the span is
   * not RAM or a C-bit access names an ASID whose slot is empty. ASID 0 with the C-bit
   * set reads raw bytes: [U] lab choice, the host runs without SME.
   */
  read(spa: number, len: number, access: MemoryAccess = HOST_ACCESS): Uint8Array | undefined {
    const cipher = this.cipherFor(access);
    if (cipher === null) return undefined;
    return cipher ? this.readWith(spa, len, cipher) : this.memory.read(spa, len);
  }

  /** {@link read} into `out` (no allocation): false (out untouched) where read gives undefined; whole 16-byte blocks only for C-bit accesses. */
  readInto(spa: number, out: Uint8Array, access: MemoryAccess = HOST_ACCESS): boolean {
    const cipher = this.cipherFor(access);
    if (cipher === null) return false;
    return cipher ? this.readWithInto(spa, out, cipher) : this.memory.readInto(spa, out);
  }

  /** Writes `data` at `spa` as access `access`; false (nothing written) where {@link read} gives undefined. */
  write(spa: number, data: Uint8Array, access: MemoryAccess = HOST_ACCESS): boolean {
    const cipher = this.cipherFor(access);
    if (cipher === null) return false;
    return cipher ? this.writeWith(spa, data, cipher) : this.memory.write(spa, data);
  }

  /** Decrypts `len` bytes at `spa` with `cipher` (the engine with a key in hand). */
  readWith(spa: number, len: number, cipher: MemoryCipher): Uint8Array | undefined {
    const span = blockSpan(spa, len);
    if (!span || !this.memory.contains(spa, len)) return undefined;
    if (span.start === spa && span.len === len) {
      // Whole blocks (every page-sized access): decrypt the DRAM copy in place, no slice.
      const out = this.memory.read(spa, len);
      if (out) cipher.decrypt(spa, out);
      return out;
    }
    const raw = this.memory.read(span.start, span.len);
    if (!raw) return undefined;
    cipher.decrypt(span.start, raw);
    return raw.slice(spa - span.start, spa - span.start + len);
  }

  /**
   * Decrypts `out.length` bytes at 16-aligned `spa` into `out` (multiple of 16 bytes): the
   * allocation-free path of the PSP's page loops. False (out untouched) if not RAM or not
   * block-aligned.
   */
  readWithInto(spa: number, out: Uint8Array, cipher: MemoryCipher): boolean {
    if (spa % BLOCK !== 0 || out.length % BLOCK !== 0 || !this.memory.readInto(spa, out)) return false;
    cipher.decrypt(spa, out);
    return true;
  }

  /** Encrypts `data` with `cipher` into memory at `spa`; false (nothing written) if not RAM. */
  writeWith(spa: number, data: Uint8Array, cipher: MemoryCipher): boolean {
    const span = blockSpan(spa, data.length);
    if (!span || !this.memory.contains(spa, data.length)) return false;
    if (span.start === spa && span.len === data.length) {
      // Whole blocks: nothing old survives, so no read-modify-write — encrypt into a
      // reused scratch buffer and store it.
      const out = this.scratchFor(data.length);
      cipher.encrypt(spa, data, out);
      return this.memory.write(spa, out);
    }
    const buf = this.memory.read(span.start, span.len);
    if (!buf) return false;
    const head = spa - span.start;
    const tail = span.start + span.len - (spa + data.length);
    // Only the partial edge blocks need their old plaintext.
    if (head > 0) cipher.decrypt(span.start, buf.subarray(0, BLOCK));
    if (tail > 0 && (span.len > BLOCK || head === 0)) {
      cipher.decrypt(span.start + span.len - BLOCK, buf.subarray(span.len - BLOCK));
    }
    buf.set(data, head);
    cipher.encrypt(span.start, buf);
    return this.memory.write(span.start, buf);
  }

  /** A scratch buffer of exactly `len` bytes (a view of one reused allocation). */
  private scratchFor(len: number): Uint8Array {
    if (this.scratch.length < len) this.scratch = new Uint8Array(Math.max(len, this.scratch.length * 2));
    return len === this.scratch.length ? this.scratch : this.scratch.subarray(0, len);
  }

  /** undefined: plain access; null: no key for that ASID. */
  private cipherFor(access: MemoryAccess): MemoryCipher | undefined | null {
    if (!access.encrypted || access.asid === 0) return undefined;
    return this.slots.get(access.asid) ?? null;
  }
}

/** The 16-byte-aligned span covering `[spa, spa + len)`, or undefined for a bad span. */
function blockSpan(spa: number, len: number): { start: number; len: number } | undefined {
  if (!Number.isSafeInteger(spa) || !Number.isSafeInteger(len) || spa < 0 || len < 0) return undefined;
  const start = spa - (spa % BLOCK);
  const end = spa + len;
  const endUp = end % BLOCK === 0 ? end : end + BLOCK - (end % BLOCK);
  return { start, len: endUp - start };
}
