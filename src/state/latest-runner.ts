/**
 * Runs an async task for the latest request only: requests within `delayMs` of each
 * other are coalesced (a light debounce), and a request made while the task runs makes
 * it run once more afterwards. Used to ask the engine about a layout while it is being
 * dragged: the worker never queues more than one stale question.
 */
export class LatestRunner {
  private dirty = false;
  private busy = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly delayMs: number,
    private readonly task: () => Promise<void>,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Asks for a run with the state as it will be when the run starts. */
  request(): void {
    this.dirty = true;
    if (this.timer !== null) clearTimeout(this.timer);
    if (!this.busy) this.timer = setTimeout(() => void this.flush(), this.delayMs);
  }

  /** Resolves when no run is pending or running. */
  idle(): Promise<void> {
    if (!this.dirty && !this.busy) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private async flush(): Promise<void> {
    this.timer = null;
    if (this.busy) return;
    this.busy = true;
    while (this.dirty) {
      this.dirty = false;
      try {
        await this.task();
      } catch (err) {
        this.onError(err);
      }
    }
    this.busy = false;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
