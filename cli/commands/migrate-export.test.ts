/**
 * The instructor export of the default scenario, checked by an independent decoder
 * written from docs/stream-format.md alone (node:crypto for the crypto, no lab code):
 * it walks the whole stream.bin, decrypts every encrypted page with keys.log, verifies
 * every MAC, and the final content of every pc.ram page equals src-guest.bin; the target
 * after resume (dst-guest.bin) equals it too; report.json agrees with the stream.
 */
import { createDecipheriv, createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../command.js';
import { migrateCommand } from './migrate.js';

interface Decoded {
  pages: Map<number, Buffer>;
  encrypted: number;
  plain: number;
  zero: number;
  sharedList: [number, number][];
  guestJson: string;
  macsChecked: number;
  nonce: string;
}

/** A decoder of docs/stream-format.md. */
function decode(s: Buffer, keys: Map<string, { tek: Buffer; tik: Buffer }>): Decoded {
  let p = 0;
  const u8 = (): number => s[p++];
  const be32 = (): number => {
    const v = s.readUInt32BE(p);
    p += 4;
    return v;
  };
  const be64 = (): number => {
    const v = Number(s.readBigUInt64BE(p));
    p += 8;
    return v;
  };
  const take = (n: number): Buffer => {
    const b = s.subarray(p, p + n);
    if (b.length !== n) throw new Error(`truncated at ${p}`);
    p += n;
    return b;
  };
  const idstr = (): string => take(u8()).toString('ascii');
  const out: Decoded = { pages: new Map(), encrypted: 0, plain: 0, zero: 0, sharedList: [], guestJson: '', macsChecked: 0, nonce: '' };
  expect(be32()).toBe(0x5145564d);
  expect(be32()).toBe(3);
  expect(u8()).toBe(0x07);
  expect(take(be32()).toString('ascii')).toBe('pc-q35-6.1');
  const sections = new Map<number, string>();
  let block = '';
  let tek: Buffer | undefined;
  let tik: Buffer | undefined;
  const ramPayload = (): void => {
    for (;;) {
      const word = be64();
      const flags = word % 4096;
      const offset = word - flags;
      const kind = flags & ~0x20;
      if (kind === 0x10) return;
      if (kind === 0x04) {
        let total = offset;
        while (total > 0) {
          idstr();
          total -= be64();
        }
        continue;
      }
      if (!(flags & 0x20)) block = idstr();
      const page = block === 'pc.ram' ? offset / 4096 : -1;
      if (kind === 0x02) {
        const fill = u8();
        if (page >= 0) out.pages.set(page, Buffer.alloc(4096, fill));
        out.zero++;
      } else if (kind === 0x08) {
        const data = take(4096);
        if (page >= 0) out.pages.set(page, Buffer.from(data));
        out.plain++;
      } else if (kind === 0x200) {
        const subtype = be32();
        if (subtype === 2) {
          for (let tag = be32(); tag !== 2; tag = be32()) {
            expect(tag).toBe(1);
            out.sharedList.push([be32(), be32()]);
          }
          continue;
        }
        expect(subtype).toBe(1);
        if (!tek) {
          be32(); // policy
          take(be32()); // the source's PDH certificate
          const session = take(be32());
          out.nonce = session.subarray(0, 16).toString('hex');
          const k = keys.get(out.nonce);
          if (!k) throw new Error(`no keys for session ${out.nonce}`);
          ({ tek, tik } = k);
        }
        const hdr = take(be32());
        const ct = take(be32());
        const iv = hdr.subarray(4, 20);
        const aad = Buffer.alloc(29);
        aad[0] = 0x02;
        aad.writeUInt32LE(hdr.readUInt32LE(0), 1);
        iv.copy(aad, 5);
        aad.writeUInt32LE(ct.length, 21);
        aad.writeUInt32LE(ct.length, 25);
        const mac = createHmac('sha256', tik!).update(aad).update(ct).digest();
        if (!mac.equals(hdr.subarray(20, 52))) throw new Error(`MAC mismatch for ${block}+0x${offset.toString(16)}`);
        out.macsChecked++;
        const d = createDecipheriv('aes-128-ctr', tek, iv);
        const plain = Buffer.concat([d.update(ct), d.final()]);
        if (page >= 0) out.pages.set(page, plain);
        out.encrypted++;
      } else throw new Error(`flags 0x${flags.toString(16)} at ${p}`);
    }
  };
  for (;;) {
    const type = u8();
    if (type === 0x00) break;
    const id = be32();
    if (type === 0x01 || type === 0x04) {
      sections.set(id, idstr());
      be32();
      be32();
    }
    const name = sections.get(id);
    if (name === 'ram') ramPayload();
    else if (name === 'kvm-lab/guest') out.guestJson = take(be32()).toString('utf8');
    else throw new Error(`unknown section ${id}`);
    expect(u8()).toBe(0x7e);
    expect(be32()).toBe(id);
  }
  expect(u8()).toBe(0x06);
  JSON.parse(take(be32()).toString('utf8'));
  expect(p).toBe(s.length);
  return out;
}

function keyLog(text: string): Map<string, { tek: Buffer; tik: Buffer }> {
  const m = new Map<string, { tek: Buffer; tik: Buffer }>();
  for (const line of text.split('\n')) {
    const [label, nonce, key] = line.split(' ');
    if (!line || line.startsWith('#') || !key) continue;
    const e = m.get(nonce) ?? { tek: Buffer.alloc(0), tik: Buffer.alloc(0) };
    if (label === 'SEV_TEK') e.tek = Buffer.from(key, 'hex');
    if (label === 'SEV_TIK') e.tik = Buffer.from(key, 'hex');
    m.set(nonce, e);
  }
  return m;
}

describe('kvm-lab migrate --out: the instructor export of the default scenario', () => {
  let dir = '';
  let stdout = '';
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kvm-lab-export-'));
    const io: CliIo = { stdout: (t) => void (stdout += t), stderr: () => undefined, readFile: () => '', writeFile: () => undefined, readStdin: () => Promise.resolve('') };
    expect(await migrateCommand.run(['--scenario', 'default', '--seed', '1', '--out', dir], io)).toBe(0);
  }, 600_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('decodes the whole stream, verifies every MAC, and every pc.ram page ends as the source guest read it', () => {
    const stream = readFileSync(join(dir, 'stream.bin'));
    const d = decode(stream, keyLog(readFileSync(join(dir, 'keys.log'), 'utf8')));
    const src = readFileSync(join(dir, 'src-guest.bin'));
    expect(src.length).toBe(256 * 1024 * 1024);
    expect(d.pages.size).toBe(src.length / 4096);
    let differ = 0;
    for (const [i, page] of d.pages) if (!page.equals(src.subarray(i * 4096, i * 4096 + 4096))) differ++;
    expect(differ).toBe(0);
    expect(d.macsChecked).toBe(d.encrypted);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as {
      steps: number;
      hops: { source: { status: string; pagesSent: { private: number; sharedNonZero: number; sharedZero: number }; dirtySyncCount: number }; target: { status: string; sharedRegions: [number, number][] } }[];
      comparisons: { differingPages: number }[];
      pspCommands: Record<string, { cmd: string; status: string; count: number }[]>;
    };
    const hop = report.hops[0];
    expect(hop.source.status).toBe('completed');
    expect(hop.target.status).toBe('completed');
    expect(hop.source.pagesSent).toEqual({ private: d.encrypted, shared: d.plain + d.zero, sharedNonZero: d.plain, sharedZero: d.zero });
    expect(d.sharedList).toEqual(hop.target.sharedRegions);
    expect(report.comparisons[0].differingPages).toBe(0);
    expect(hop.source.dirtySyncCount).toBeGreaterThan(2);
    const sends = report.pspCommands.src.filter((r) => r.cmd === 'SEND_UPDATE_DATA' && r.status === 'SUCCESS').reduce((n, r) => n + r.count, 0);
    expect(sends).toBe(d.encrypted);
    expect(report.pspCommands.dst.filter((r) => r.cmd === 'RECEIVE_UPDATE_DATA').reduce((n, r) => n + r.count, 0)).toBe(d.encrypted);
    // The default scenario steps nicely: a few thousand steps for the whole run.
    expect(report.steps).toBeLessThan(4000);
    const guest = JSON.parse(d.guestJson) as { version: number; shared: [number, number][] };
    expect(guest.version).toBe(1);
  });

  it('the target after resume reads exactly what the source read when it stopped', () => {
    const src = readFileSync(join(dir, 'src-guest.bin'));
    const dst = readFileSync(join(dir, 'dst-guest.bin'));
    expect(dst.equals(src)).toBe(true);
    expect(stdout).toMatch(/^kvm-lab: default \(seed 1\): \d+ steps, \d+ events; wrote /);
  });

  it('the key log is the only key material: the stream and the report carry neither TEK nor TIK', () => {
    const keys = keyLog(readFileSync(join(dir, 'keys.log'), 'utf8'));
    const stream = readFileSync(join(dir, 'stream.bin'));
    const report = readFileSync(join(dir, 'report.json'));
    for (const { tek, tik } of keys.values()) {
      expect(stream.includes(tek)).toBe(false);
      expect(stream.includes(tik)).toBe(false);
      expect(report.includes(tek.toString('hex'))).toBe(false);
    }
  });
});
