/**
 * The files of `kvm-lab migrate --out DIR` (formats in docs/stream-format.md):
 *
 * - `stream.bin` — the bytes the source put on the src → dst link, in order (with a man in
 *   the middle, also `stream-delivered.bin`, what reached the target); `stream-hop2.bin`
 *   for the dst → hop2 link;
 * - `keys.log` — every host's PSP key log (TEK and TIK per send session, keyed by the
 *   session's NONCE; docs/psp.md);
 * - `<host>-guest.bin` — the guest's RAM as the guest reads it, one 4 KiB page per RAM
 *   page in pc.ram offset order (a sparse file: all-zero pages are holes): a source when
 *   it stopped for the final copy, a target right after it resumed (`dst-stop-guest.bin`
 *   is dst stopping for a second hop);
 * - `report.json` — kvm-lab/migration-report v1.
 */
import { createHash } from 'node:crypto';
import { closeSync, ftruncateSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Json } from '../../workers/core/events.js';
import { differingPages, forEachGuestPage } from '../../workers/migration/guest-image.js';
import type { LabHost } from '../../workers/migration/lab-host.js';
import type { LabHooks, StreamObserver } from '../../workers/machines/sev-migration/migration-lab.js';
import { gpaOfRamOffset } from '../../workers/vmm/memory-layout.js';

/** Writes an export as the run goes, and what the report says about the files. */
export class MigrationExport {
  readonly files: Record<string, Json>[] = [];
  readonly comparisons: Json[] = [];
  private readonly streams = new Map<string, { fd: number; bytes: number; hash: ReturnType<typeof createHash> }>();

  constructor(
    private readonly dir: string,
    /** The source host of a target, by target name (for the comparison at resume). */
    private readonly sourceOf: (target: string) => LabHost | undefined,
  ) {
    mkdirSync(dir, { recursive: true });
  }

  /** The lab's stream observer: appends each chunk to its file. */
  readonly onStream: StreamObserver = (hop, which, bytes) => {
    const name = hop === 0 ? (which === 'sent' ? 'stream.bin' : 'stream-delivered.bin') : which === 'sent' ? `stream-hop${hop + 1}.bin` : `stream-hop${hop + 1}-delivered.bin`;
    let s = this.streams.get(name);
    if (!s) {
      s = { fd: openSync(join(this.dir, name), 'w'), bytes: 0, hash: createHash('sha256') };
      this.streams.set(name, s);
    }
    writeSync(s.fd, bytes);
    s.bytes += bytes.length;
    s.hash.update(bytes);
  };

  /** The lab's hooks: guest images at stop and at resume, and the comparison. */
  readonly hooks: LabHooks = {
    onSourceStopped: (h) => this.image(h, h.name === 'src' ? 'src-guest.bin' : `${h.name}-stop-guest.bin`, 'source stopped for the final copy'),
    onTargetResumed: (h) => {
      this.image(h, `${h.name}-guest.bin`, 'target resumed');
      const src = this.sourceOf(h.name);
      if (!src) return;
      const diff = differingPages(src.rt.host, h.rt.host);
      const layout = h.rt.host.vmm.ram.layout;
      this.comparisons.push({
        from: src.name,
        to: h.name,
        pagesCompared: h.rt.host.pageStates.pages,
        differingPages: diff.length,
        differingGpas: diff.slice(0, 256).map((i) => `0x${gpaOfRamOffset(layout, i * 4096).toString(16)}`),
      });
    },
  };

  private image(h: LabHost, name: string, when: string): void {
    const fd = openSync(join(this.dir, name), 'w');
    const hash = createHash('sha256');
    let size = 0;
    forEachGuestPage(h.rt.host, (i, bytes) => {
      hash.update(bytes);
      size = (i + 1) * 4096;
      for (let k = 0; k < bytes.length; k++) {
        if (bytes[k] !== 0) {
          writeSync(fd, bytes, 0, 4096, i * 4096);
          return;
        }
      }
    });
    ftruncateSync(fd, size);
    closeSync(fd);
    this.files.push({ file: name, host: h.name, when, atNs: h.rt.clock.now(), bytes: size, sha256: hash.digest('hex') });
  }

  /** Closes the streams and writes keys.log and report.json. */
  finish(keyLogs: string[], report: (extra: Record<string, Json>) => Json): void {
    for (const [file, s] of this.streams) {
      closeSync(s.fd);
      this.files.push({ file, bytes: s.bytes, sha256: s.hash.digest('hex') });
    }
    writeFileSync(join(this.dir, 'keys.log'), keyLogs.join(''));
    this.files.push({ file: 'keys.log' });
    writeFileSync(join(this.dir, 'report.json'), JSON.stringify(report({ files: this.files, comparisons: this.comparisons }), null, 2) + '\n');
  }
}
