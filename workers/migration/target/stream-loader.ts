/**
 * The target's reading of the stream (QEMU savevm.c `qemu_loadvm_state`,
 * `qemu_loadvm_section_start_full` / `_part_end`, `check_section_footer`; ram.c
 * `ram_load_precopy` with the AMD v4 `load_encrypted_data`; docs/stream-format.md).
 *
 * Records are parsed atomically: a record's bytes are all read before the sink sees it,
 * and a record split across chunks is re-read when the rest arrives. Bad input raises a
 * {@link LoadError} with QEMU's message (`Unknown combination of migration flags: 0x400`,
 * `Illegal RAM offset 1000000`, `Missing section footer for ram`, ...), the stream
 * offset and the record; the loader never throws anything else for bad bytes.
 */
import { LAB_MACHINE_TYPE, QEMU_VM_FILE_MAGIC, QEMU_VM_FILE_VERSION, QEMU_VM_FILE_VERSION_COMPAT, QemuVm, RAM_SECTION, GUEST_SECTION, qemuVmName } from '../stream/format.js';
import { NeedMoreData, type StreamReader } from '../stream/reader.js';
import { LoadError, type LoadSink } from './load-sink.js';
import { readRamRecord, type RamCursor } from './ram-records.js';

/** How a run of the loader ended. */
export type LoadProgress = 'need-more' | 'pause' | 'budget' | 'done';

type State = 'header' | 'top' | 'ram' | 'footer' | 'vmdesc' | 'done';

const KNOWN_SECTIONS = [RAM_SECTION, GUEST_SECTION];

/** The loader of one incoming stream. */
export class StreamLoader {
  private state: State = 'header';
  /** section id → idstr, from SECTION_START / SECTION_FULL. */
  private readonly sections = new Map<number, string>();
  private current = { id: 0, idstr: '' };
  private readonly ram: RamCursor = { lastBlock: undefined, pages: 0, encrypted: 0, normal: 0, zero: 0, records: 0, pause: false };
  /** Start of the record being read, and its name (for errors and truncation). */
  recordOffset = 0;
  recordName = 'file header';

  constructor(
    private readonly r: StreamReader,
    private readonly sink: LoadSink,
    private readonly machineType = LAB_MACHINE_TYPE,
  ) {}

  /** Counters of the records applied since the last call to {@link takeCounts}. */
  takeCounts(): { records: number; pages: number; encrypted: number; normal: number; zero: number } {
    const c = this.ram;
    const out = { records: c.records, pages: c.pages, encrypted: c.encrypted, normal: c.normal, zero: c.zero };
    c.records = c.pages = c.encrypted = c.normal = c.zero = 0;
    return out;
  }

  /** True once QEMU_VM_EOF (and the VM description, if any) was read. */
  get done(): boolean {
    return this.state === 'done';
  }

  /** Parses and applies records until `maxPages` pages, a pause (RECEIVE_START), the data runs out, or EOF. */
  run(maxPages: number): LoadProgress {
    for (;;) {
      if (this.state === 'done') return 'done';
      if (this.ram.pages >= maxPages) return 'budget';
      const mark = this.r.mark();
      this.recordOffset = this.r.offset;
      try {
        this.one();
      } catch (e) {
        if (e instanceof NeedMoreData) {
          this.r.rewind(mark);
          return 'need-more';
        }
        throw e;
      }
      if (this.ram.pause) {
        this.ram.pause = false;
        return 'pause';
      }
    }
  }

  private fail(detail: string): never {
    throw new LoadError(this.recordOffset, this.recordName, detail);
  }

  private one(): void {
    const r = this.r;
    switch (this.state) {
      case 'header':
        return this.header();
      case 'top': {
        this.recordName = 'section header';
        const type = r.u8();
        if (type === QemuVm.EOF) {
          this.state = 'vmdesc';
          return;
        }
        if (type === QemuVm.SECTION_START || type === QemuVm.SECTION_FULL) return this.sectionStart(type);
        if (type === QemuVm.SECTION_PART || type === QemuVm.SECTION_END) {
          const id = r.be32();
          const idstr = this.sections.get(id);
          if (idstr === undefined) this.fail(`Unknown savevm section ${id}`);
          this.current = { id, idstr };
          this.state = 'ram';
          return;
        }
        this.fail(`Unknown savevm section type ${type} (${qemuVmName(type)})`);
        return;
      }
      case 'ram':
        this.recordName = 'RAM record';
        if (readRamRecord(r, this.sink, this.ram, (d) => this.fail(d), () => this.recordOffset, (n) => (this.recordName = n))) this.state = 'footer';
        return;
      case 'footer':
        return this.footer();
      case 'vmdesc': {
        // qemu_loadvm_state reads the VM description after EOF (for tools) and ignores it;
        // anything else there is reported but not fatal.
        this.recordName = 'VM description';
        const t = r.u8();
        if (t === QemuVm.VMDESCRIPTION) r.bytes(r.be32());
        this.state = 'done';
        return;
      }
    }
  }

  private header(): void {
    const r = this.r;
    this.recordName = 'file header';
    const magic = r.be32();
    if (magic !== QEMU_VM_FILE_MAGIC) this.fail('Not a migration stream');
    const version = r.be32();
    if (version === QEMU_VM_FILE_VERSION_COMPAT) this.fail("SaveVM v2 format is obsolete and don't work anymore");
    if (version !== QEMU_VM_FILE_VERSION) this.fail('Unsupported migration stream version');
    this.recordName = 'configuration';
    if (r.u8() !== QemuVm.CONFIGURATION) this.fail('Configuration section missing');
    const len = r.be32();
    if (len > 255) this.fail(`Configuration name length ${len} out of range`);
    let name = '';
    for (const c of r.bytes(len)) name += String.fromCharCode(c);
    if (name !== this.machineType) this.fail(`Machine type received is '${name}' and local is '${this.machineType}'`);
    this.state = 'top';
  }

  private sectionStart(type: number): void {
    const r = this.r;
    const id = r.be32();
    const idstr = r.str8();
    const instance = r.be32();
    const version = r.be32();
    const se = KNOWN_SECTIONS.find((s) => s.idstr === idstr && s.instanceId === instance);
    if (!se) this.fail(`Unknown savevm section or instance '${idstr}' ${instance}. Make sure that your current VM setup matches your saved VM setup, including any hotplugged devices`);
    if (version > se.versionId) this.fail(`savevm: unsupported version ${version} for '${idstr}' v${se.versionId}`);
    this.sections.set(id, idstr);
    this.current = { id, idstr };
    if (type === QemuVm.SECTION_START) {
      if (idstr !== RAM_SECTION.idstr) this.fail(`section '${idstr}' is not iterative`);
      this.state = 'ram';
      return;
    }
    // SECTION_FULL of the lab's guest state: be32 length + JSON, then the footer.
    this.recordName = `${idstr} state`;
    if (idstr !== GUEST_SECTION.idstr) this.fail(`section '${idstr}' has no full state`);
    const len = r.be32();
    if (len > 64 * 1024 * 1024) this.fail(`${idstr}: state of ${len} bytes is too large`);
    const payload = r.bytes(len);
    // The footer must be here too before the state is applied (records are atomic).
    if (r.available < 5) throw new NeedMoreData();
    const err = this.sink.device(idstr, payload, this.recordOffset);
    if (err) this.fail(`error while loading state for instance 0x${instance.toString(16)} of device '${idstr}': ${err}`);
    this.state = 'footer';
  }

  private footer(): void {
    const r = this.r;
    this.recordName = 'section footer';
    const { id, idstr } = this.current;
    if (r.u8() !== QemuVm.SECTION_FOOTER) this.fail(`Missing section footer for ${idstr}`);
    const read = r.be32();
    if (read !== id) this.fail(`Mismatched section id in footer for ${idstr} -- read 0x${read.toString(16)} expected 0x${id.toString(16)}`);
    this.state = 'top';
  }

  /** True after QEMU_VM_EOF while the optional VM description has not arrived (a clean end of stream). */
  get atVmdesc(): boolean {
    return this.state === 'vmdesc';
  }
}
