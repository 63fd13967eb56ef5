/**
 * The VMM's shared-regions list: which guest-frame ranges the guest has declared shared
 * (C-bit clear). It follows the AMD QEMU v4 series (reference sev-migration-flow.md §4.4,
 * QV4-09/QV4-10): a sorted queue of half-open GFN ranges `[start, end)`; empty means every
 * page is private. KVM keeps no record in v11 or upstream (§7 pitfall 4), so this list is
 * the only one there is, and it is what a migration ships at stop-and-copy (§4.8).
 *
 * Add ([I] from the series' code, reproduced as the reference describes it):
 * - a range wholly inside an entry is a duplicate and is ignored;
 * - a range that starts inside an entry (or right at its end) extends that entry forward;
 * - otherwise a new node is inserted in order. Adjacent ranges are therefore not always
 *   merged (a range ending where the next entry starts becomes its own node), and an
 *   extension may overlap the following nodes; lookups and removals treat the list as the
 *   union of its nodes, so that is harmless, but `info mem-encryption` shows it as it is.
 * Remove trims entries or splits one entry in two.
 *
 * GFNs are plain numbers: a 64-bit GPA has a GFN below 2^52, and an end past 2^52
 * (a huge page count) is clamped there since no frame lies beyond it.
 */

/** One node of the list: frames `[start, end)`. */
export interface SharedRegion {
  start: number;
  end: number;
}

/** One past the last frame a 64-bit guest-physical address can name. */
export const GFN_LIMIT = 2 ** 52;

function clampEnd(gfn: bigint, npages: bigint): number {
  const end = gfn + npages;
  return end >= BigInt(GFN_LIMIT) ? GFN_LIMIT : Number(end);
}

/** The shared-regions list of one guest (QEMU's `shared_regions_list`). */
export class SharedRegionsList {
  private nodes: SharedRegion[] = [];

  /** A list holding `regions` as they are (for restore and the migration target). */
  constructor(regions: readonly SharedRegion[] = []) {
    this.nodes = regions.map((r) => ({ start: r.start, end: r.end }));
  }

  /**
   * `sev_add_shared_regions_list`: the guest made `[gfn, gfn + npages)` shared. Returns
   * what the list did, for the event log.
   */
  add(gfn: bigint, npages: bigint): 'duplicate' | 'extended' | 'inserted' | 'empty' {
    const start = Number(gfn);
    const end = clampEnd(gfn, npages);
    if (end <= start) return 'empty';
    for (let i = 0; i < this.nodes.length; i++) {
      const n = this.nodes[i];
      if (start >= n.start && end <= n.end) return 'duplicate';
      if (start >= n.start && start <= n.end) {
        n.end = Math.max(n.end, end);
        return 'extended';
      }
      if (start < n.start) {
        this.nodes.splice(i, 0, { start, end });
        return 'inserted';
      }
    }
    this.nodes.push({ start, end });
    return 'inserted';
  }

  /**
   * `sev_remove_shared_regions_list`: the guest made `[gfn, gfn + npages)` private again.
   * Trims, splits or drops every node the range touches; returns how many nodes changed.
   */
  remove(gfn: bigint, npages: bigint): number {
    const start = Number(gfn);
    const end = clampEnd(gfn, npages);
    if (end <= start) return 0;
    let changed = 0;
    const out: SharedRegion[] = [];
    for (const n of this.nodes) {
      if (n.end <= start || n.start >= end) {
        out.push(n);
        continue;
      }
      changed++;
      if (n.start < start) out.push({ start: n.start, end: start });
      if (n.end > end) out.push({ start: end, end: n.end });
    }
    this.nodes = out;
    return changed;
  }

  /**
   * `sev_load_incoming_shared_regions_list`: a node as the stream carries it, appended at
   * the tail without merging (QTAILQ_INSERT_TAIL), so the target's list is the source's.
   */
  append(start: number, end: number): void {
    this.nodes.push({ start, end });
  }

  /** `is_gfn_in_unshared_region` negated: true when `gfn` lies in a listed range. */
  isShared(gfn: number): boolean {
    for (const n of this.nodes) {
      if (gfn < n.start) return false;
      if (gfn < n.end) return true;
    }
    return false;
  }

  /** The nodes as they are (copies), in list order. */
  regions(): SharedRegion[] {
    return this.nodes.map((n) => ({ start: n.start, end: n.end }));
  }

  /** The union of the nodes as sorted, disjoint, non-adjacent ranges. */
  normalized(): SharedRegion[] {
    const sorted = this.regions().sort((a, b) => a.start - b.start);
    const out: SharedRegion[] = [];
    for (const r of sorted) {
      const last = out[out.length - 1];
      if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
      else out.push(r);
    }
    return out;
  }

  /** Number of nodes. */
  get length(): number {
    return this.nodes.length;
  }

  /** Drops every node (a new incoming guest, or a test). */
  clear(): void {
    this.nodes = [];
  }
}
