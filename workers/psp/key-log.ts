/**
 * The instructor's key log: the TEK and TIK of every send session, so a teacher can
 * decrypt captured migration traffic in a tool of their own — the SEV counterpart of TLS's
 * SSLKEYLOGFILE. It exists only when the PSP is constructed with `instructor: true`;
 * a normal PSP has no key log object at all, and nothing else ever hands out a key.
 *
 * Format (text, one record per line, `\n`-terminated, like NSS's key log format):
 *
 * ```
 * # kvm-lab SEV key log v1: SEV_TEK|SEV_TIK <session NONCE, 32 hex> <key, 32 hex>
 * # psp@src handle 1 SEND_START t=123456ns policy=0x00000001
 * SEV_TEK 606162636465666768696a6b6c6d6e6f 000102030405060708090a0b0c0d0e0f
 * SEV_TIK 606162636465666768696a6b6c6d6e6f 101112131415161718191a1b1c1d1e1f
 * ```
 *
 * Lines starting with `#` are comments. A record's first field is the label, the second
 * the session's NONCE (bytes 0x00–0x0F of the 128-byte session blob, which travels in
 * the clear in the migration stream and so identifies the session, as TLS's
 * client_random does), the third the key. Hex is lower case.
 */
import { bytesToHex } from '@noble/hashes/utils.js';

/** First line of every key log. */
export const KEY_LOG_HEADER = '# kvm-lab SEV key log v1: SEV_TEK|SEV_TIK <session NONCE, 32 hex> <key, 32 hex>';

/** One send session's keys. */
export interface KeyLogEntry {
  component: string;
  handle: number;
  /** Virtual time of the SEND_START, ns. */
  t: number;
  policy: number;
  nonce: Uint8Array;
  tek: Uint8Array;
  tik: Uint8Array;
}

/** An append-only key log (instructor mode only). */
export class KeyLog {
  private readonly lines: string[] = [KEY_LOG_HEADER];

  /** Records the keys of one send session. */
  record(e: KeyLogEntry): void {
    const nonce = bytesToHex(e.nonce);
    this.lines.push(
      `# ${e.component} handle ${e.handle} SEND_START t=${e.t}ns policy=0x${(e.policy >>> 0).toString(16).padStart(8, '0')}`,
      `SEV_TEK ${nonce} ${bytesToHex(e.tek)}`,
      `SEV_TIK ${nonce} ${bytesToHex(e.tik)}`,
    );
  }

  /** The whole log as text. */
  text(): string {
    return this.lines.join('\n') + '\n';
  }
}

/** Parses key-log text into `{label, nonce, key}` records (comments and blank lines skipped). */
export function parseKeyLog(text: string): { label: string; nonce: string; key: string }[] {
  const out: { label: string; nonce: string; key: string }[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const [label, nonce, key] = line.split(' ');
    if (label && nonce && key) out.push({ label, nonce, key });
  }
  return out;
}
