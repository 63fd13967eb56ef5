/**
 * QEMU's migration blockers (migration/blocker.c): reasons migration is refused. The SEV
 * VMM adds "SEV: Migration is not implemented" at LAUNCH_FINISH and, in the AMD v4
 * series, deletes it when the guest writes the migration MSR's ready bit (reference §4.8).
 * The target of a migration never had LAUNCH_FINISH, so it never had the blocker.
 */

/** The blocker text (QEMU `sev_launch_finish`). */
export const SEV_MIGRATION_BLOCKER = 'SEV: Migration is not implemented';

/** The blockers of one VMM. */
export class MigrationBlockers {
  private readonly reasons: string[] = [];

  /** migrate_add_blocker; false if that reason is already there. */
  add(reason: string): boolean {
    if (this.reasons.includes(reason)) return false;
    this.reasons.push(reason);
    return true;
  }

  /** migrate_del_blocker; false if it was not there. */
  del(reason: string): boolean {
    const i = this.reasons.indexOf(reason);
    if (i < 0) return false;
    this.reasons.splice(i, 1);
    return true;
  }

  /** The current reasons, oldest first. */
  list(): string[] {
    return this.reasons.slice();
  }

  /** True when migration may start. */
  get allowed(): boolean {
    return this.reasons.length === 0;
  }
}
