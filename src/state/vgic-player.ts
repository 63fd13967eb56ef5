/**
 * The vgic-script player: loads a script (pasted, from a file, built in, or the one the
 * current layout makes), runs it in the engine and moves a cursor over its steps (step,
 * back, run all, reset). At each cursor the view shows the layout the script has built
 * so far, as the engine evaluates it. The editor's own layout is never touched unless the
 * user takes the script's layout over; a script that cannot be read is refused with a
 * message naming the step and the problem.
 */
import type { Json, VgicPlayback } from '../../workers/api/types';
import type { RemoteEngine } from '../engine/engine-client';
import { LatestRunner } from './latest-runner';
import type { VgicNotice, VgicPlayerState, VgicState } from './slices/vgic-slice';
import type { LabStore } from './store';

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** The first step the runner could not perform, as a sentence, or undefined. */
export function stepProblem(script: Json, p: VgicPlayback): string | undefined {
  const i = p.result.steps.findIndex((r) => 'error' in r);
  if (i < 0) return undefined;
  const r = p.result.steps[i] as { error: string };
  const steps = (script as { steps?: { op?: unknown }[] }).steps;
  const op = typeof steps?.[i]?.op === 'string' ? ` (${steps[i].op})` : '';
  return `Step ${i}${op} cannot run: ${r.error}. The script stops there.`;
}

export class VgicScriptPlayer {
  private target = 0;
  private readonly runner: LatestRunner;

  constructor(
    private readonly store: LabStore,
    private readonly engine: RemoteEngine,
  ) {
    this.runner = new LatestRunner(
      0,
      () => this.show(),
      (err) => this.notify({ kind: 'error', text: `The script player failed: ${messageOf(err)}` }),
    );
  }

  private get state(): VgicState {
    return this.store.getState().vgic;
  }

  private notify(notice: VgicNotice | null): void {
    this.store.getState().setVgic({ notice });
  }

  /** Loads a script (object or JSON text). False, with a notice, when it cannot be read at all. */
  async load(doc: Json | string, name = 'the script'): Promise<boolean> {
    let script: Json;
    try {
      script = typeof doc === 'string' ? (JSON.parse(doc) as Json) : doc;
    } catch (err) {
      this.notify({
        kind: 'error',
        text: `Could not load ${name}: not valid JSON (${messageOf(err)}). The layout is unchanged.`,
      });
      return false;
    }
    const playback = await this.engine.vgicPlayScript(script, 0);
    if (playback.result.error !== undefined) {
      this.notify({
        kind: 'error',
        text: `Could not load ${name}: ${playback.result.error}. The layout is unchanged.`,
      });
      return false;
    }
    const title = typeof (script as { name?: unknown }).name === 'string' ? (script as { name: string }).name : name;
    this.target = 0;
    const player: VgicPlayerState = { name: title, script, playback, evaluation: null };
    const problem = stepProblem(script, playback);
    this.store.getState().setVgic({
      player,
      tab: 'script',
      fitRequest: this.state.fitRequest + 1,
      notice: problem
        ? { kind: 'error', text: `${title}: ${problem}` }
        : { kind: 'info', text: `Loaded ${title}: ${playback.total} steps, ${playback.result.kernel ?? ''} kernel.` },
    });
    return true;
  }

  /** Loads a built-in script by id. */
  async loadBuiltin(id: string): Promise<boolean> {
    const r = await this.engine.vgicBuiltinScript(id);
    if (!r.ok) {
      this.notify({ kind: 'error', text: r.error });
      return false;
    }
    return this.load(r.value, id);
  }

  /** The furthest cursor: every step that has a result (the runner stops at a step error). */
  private get end(): number {
    return this.state.player?.playback.result.steps.length ?? 0;
  }

  /** Moves the cursor to `k` performed steps; resolves when the view shows it. */
  async seek(k: number): Promise<VgicPlayback | null> {
    if (!this.state.player) return null;
    this.target = Math.max(0, Math.min(this.end, Math.floor(k)));
    this.runner.request();
    await this.runner.idle();
    return this.state.player?.playback ?? null;
  }

  step(n = 1): Promise<VgicPlayback | null> {
    return this.seek(this.target + n);
  }

  back(n = 1): Promise<VgicPlayback | null> {
    return this.seek(this.target - n);
  }

  runAll(): Promise<VgicPlayback | null> {
    return this.seek(this.end);
  }

  reset(): Promise<VgicPlayback | null> {
    return this.seek(0);
  }

  /** Closes the player; the editor's layout is what it was. */
  close(): void {
    this.target = 0;
    this.store.getState().setVgic({ player: null, fitRequest: this.state.fitRequest + 1 });
  }

  idle(): Promise<void> {
    return this.runner.idle();
  }

  private async show(): Promise<void> {
    const player = this.state.player;
    if (!player) return;
    const upTo = this.target;
    const playback = await this.engine.vgicPlayScript(player.script, upTo);
    const evaluation = playback.view ? await this.engine.vgicEvaluate(playback.view.layout as unknown as Json) : null;
    if (this.state.player?.script !== player.script) return;
    this.store.getState().setVgic({ player: { ...player, playback, evaluation } });
  }
}
