/**
 * What the stream loader hands the target VMM, record by record (QEMU's `ram_load_precopy`
 * and `vmstate_load` callees), and the error it raises: QEMU's message plus where in the
 * stream it happened, so a failed migration names the offset and the record.
 */

/** A RAM block the target knows (QEMU's RAMBlock by idstr). */
export interface LoadBlock {
  readonly name: string;
  readonly hva: number;
  readonly size: number;
}

/** The target side of the loader; each call returns an error text or undefined. */
export interface LoadSink {
  /** The target's RAM block named `name`. */
  block(name: string): LoadBlock | undefined;
  /** True when the next encrypted page carries SEND_START's output (no receive context yet). */
  needsStart(): boolean;
  /** A ZERO (`data` undefined, `fill` the byte) or PAGE record. */
  plainPage(b: LoadBlock, offset: number, fill: number, data: Uint8Array | undefined): string | undefined;
  /** RECEIVE_START with the source's policy, PDH and session. */
  receiveStart(policy: number, pdh: Uint8Array, session: Uint8Array): string | undefined;
  /** RECEIVE_UPDATE_DATA of one packet into `offset` of `b`. */
  encryptedPage(b: LoadBlock, offset: number, hdr: Uint8Array, trans: Uint8Array): string | undefined;
  /** The shared-regions list (appended as it comes). */
  sharedRegions(regions: { start: number; end: number }[], offset: number): string | undefined;
  /** A device section's payload. */
  device(idstr: string, payload: Uint8Array, offset: number): string | undefined;
}

/** A failed load: QEMU's message, the stream offset and the record being read. */
export class LoadError extends Error {
  constructor(
    readonly offset: number,
    readonly record: string,
    readonly detail: string,
  ) {
    super(`${detail} (stream offset ${offset} = 0x${offset.toString(16)}, record: ${record})`);
    this.name = 'LoadError';
  }
}
