/**
 * The engine the engine worker exposes (workers/entry/engine.worker.ts): {@link Engine}'s
 * API with every method allowed to wait, so that a `sev-migration` scenario can run with
 * each host in its own Web Worker (workers/hosts/, docs/ARCHITECTURE.md "Hosts in
 * workers"). Other scenarios, and every scenario when no host platform is given (Node:
 * CLI, tests), go to the synchronous Engine unchanged. Both give the same timeline, log
 * and documents for the same seed and actions, so a session exported from one replays in
 * the other.
 */
import { DocumentError } from '../core/documents.js';
import { matchesFilter, type EngineEvent, type EventFilter, type Json } from '../core/events.js';
import type { InputResult } from '../core/machine.js';
import { parseScenario, type ScenarioDoc } from '../core/scenario.js';
import { packActions, parseSessionDoc, unpackActions, SESSION_FORMAT, type SessionDoc } from '../core/session-doc.js';
import { toSnapshotDoc, type SnapshotDoc } from '../core/snapshot.js';
import { SeededRng } from '../core/rng.js';
import { AsyncSession } from '../hosts/async-session.js';
import { WorkerMigrationMachine } from '../hosts/worker-machine.js';
import type { HostPlatform } from '../hosts/worker-lab.js';
import { builtinScenarioDocs, machineKinds } from '../scenarios/index.js';
import { Engine, type EngineOptions } from './engine.js';
import type { EngineApiAsync, EngineState, GuestMemoryDigest, Outcome } from './types.js';
import { inspectsHosts } from '../machines/host-inspection.js';
import { hostOutcome, inspectorFor } from './host-queries.js';

/** Options: the synchronous engine's, and where host workers come from. */
export interface AsyncEngineOptions extends EngineOptions {
  /** Spawns host workers; without it every scenario runs in this thread. */
  hosts?: HostPlatform;
}

/** The engine with asynchronous sessions for migrations whose hosts are workers. */
export class AsyncEngine implements EngineApiAsync {
  private readonly engine: Engine;
  private session: AsyncSession | undefined;
  private generation = 0;

  constructor(private readonly opts: AsyncEngineOptions = {}) {
    this.engine = new Engine(opts);
  }

  version = (): string => this.engine.version();
  scenarios = (): ReturnType<Engine['scenarios']> => this.engine.scenarios();

  async load(scenario: string | Json, seed?: number): Promise<Outcome<EngineState>> {
    try {
      const doc = this.resolve(scenario);
      if (!this.usesWorkers(doc)) {
        this.drop();
        return this.engine.load(scenario, seed);
      }
      await this.open(doc, seed ?? doc.seed ?? 0);
      return { ok: true, value: this.state() };
    } catch (err) {
      return { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
  }

  state(): EngineState {
    const s = this.session;
    if (!s) return this.engine.state();
    return { ...s.position(), scenario: s.scenario.name, seed: s.seed, generation: this.generation, summary: s.summary() };
  }

  async step(n = 1): Promise<EngineState> {
    const s = this.session;
    if (!s) return this.engine.step(n);
    for (let i = 0; i < n; i++) if (!(await s.step())) break;
    return this.state();
  }

  back(n = 1): Promise<EngineState> | EngineState {
    return this.session ? this.seek(this.session.position().cursor - n) : this.engine.back(n);
  }

  async seek(cursor: number): Promise<EngineState> {
    const s = this.session;
    if (!s) return this.engine.seek(cursor);
    const before = s.position().cursor;
    await s.seek(cursor);
    if (s.position().cursor < before) this.generation++;
    return this.state();
  }

  async seekToEvent(seq: number): Promise<EngineState> {
    const s = this.session;
    if (!s) return this.engine.seekToEvent(seq);
    const before = s.position().cursor;
    await s.seekToEvent(seq);
    if (s.position().cursor < before) this.generation++;
    return this.state();
  }

  reset(): Promise<EngineState> | EngineState {
    return this.session ? this.seek(0) : this.engine.reset();
  }

  async runUntil(filter: EventFilter, maxSteps = 100_000): Promise<Outcome<EngineEvent>> {
    const s = this.session;
    if (!s) return this.engine.runUntil(filter, maxSteps);
    let from = s.position().events;
    for (let i = 0; i <= maxSteps; i++) {
      const hit = s.events(from).find((e) => matchesFilter(e, filter));
      if (hit) return { ok: true, value: hit };
      from = s.position().events;
      if (i === maxSteps || !(await s.step())) break;
    }
    return { ok: false, error: `no event matching ${JSON.stringify(filter)} before the run went idle or ${maxSteps} steps passed` };
  }

  input(input: Json): Promise<InputResult> | InputResult {
    return this.session ? this.session.input(input) : this.engine.input(input);
  }

  events(from = 0, to?: number): EngineEvent[] {
    return this.session ? this.session.events(from, to) : this.engine.events(from, to);
  }

  exportSession(): SessionDoc {
    const s = this.session;
    if (!s) return this.engine.exportSession();
    return { format: SESSION_FORMAT, version: 1, scenario: s.scenario as unknown as Json, seed: s.seed, cursor: s.position().cursor, actions: packActions(s.timeline()) };
  }

  async importSession(doc: Json): Promise<Outcome<EngineState>> {
    try {
      const parsed = parseSessionDoc(doc);
      const scenario = this.resolve(parsed.scenario);
      if (!this.usesWorkers(scenario)) {
        this.drop();
        return this.engine.importSession(doc);
      }
      const s = await this.open(scenario, parsed.seed);
      for (const a of unpackActions(parsed)) {
        if (!('tick' in a)) await s.input(a.input);
        else if (!(await s.step())) throw new DocumentError('actions', 'more ticks than the run has work for');
      }
      await s.seek(parsed.cursor);
      return { ok: true, value: this.state() };
    } catch (err) {
      return { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
  }

  snapshot(): SnapshotDoc {
    const s = this.session;
    if (!s) return this.engine.snapshot();
    const p = s.position();
    return toSnapshotDoc(s.scenario as unknown as Json, s.seed, { cursor: p.cursor, t: p.t, events: p.events, rng: SeededRng.fromSeed(s.seed).state(), machine: null });
  }

  hostNames(): Promise<string[]> | string[] {
    const s = this.session;
    if (!s) return this.engine.hostNames();
    const m = s.current();
    return inspectsHosts<true>(m) ? m.hostNames() : [];
  }

  async guestMemoryDigest(host: string): Promise<Outcome<GuestMemoryDigest>> {
    const s = this.session;
    if (!s) return this.engine.guestMemoryDigest(host);
    const m = inspectorFor<true>(s.current(), s.scenario.name, host);
    return typeof m === 'string' ? { ok: false, error: m } : hostOutcome(await m.guestMemoryDigest(host), host);
  }

  async pageStates(host: string): Promise<Outcome<Uint8Array>> {
    const s = this.session;
    if (!s) return this.engine.pageStates(host);
    const m = inspectorFor<true>(s.current(), s.scenario.name, host);
    return typeof m === 'string' ? { ok: false, error: m } : hostOutcome(await m.pageStates(host), host);
  }

  // The vGIC editor's calls never involve a session.
  vgicCatalog: Engine['vgicCatalog'] = (...a) => this.engine.vgicCatalog(...a);
  vgicBuiltinScript: Engine['vgicBuiltinScript'] = (...a) => this.engine.vgicBuiltinScript(...a);
  vgicEvaluate: Engine['vgicEvaluate'] = (...a) => this.engine.vgicEvaluate(...a);
  vgicCompareProfiles: Engine['vgicCompareProfiles'] = (...a) => this.engine.vgicCompareProfiles(...a);
  vgicRunScript: Engine['vgicRunScript'] = (...a) => this.engine.vgicRunScript(...a);
  vgicPlayScript: Engine['vgicPlayScript'] = (...a) => this.engine.vgicPlayScript(...a);
  vgicReadLayoutDoc: Engine['vgicReadLayoutDoc'] = (...a) => this.engine.vgicReadLayoutDoc(...a);
  vgicLayoutDoc: Engine['vgicLayoutDoc'] = (...a) => this.engine.vgicLayoutDoc(...a);

  private usesWorkers(doc: ScenarioDoc): boolean {
    return this.opts.hosts !== undefined && doc.machine === 'sev-migration';
  }

  private async open(doc: ScenarioDoc, seed: number): Promise<AsyncSession> {
    const platform = this.opts.hosts!;
    this.drop();
    this.generation++;
    this.session = await AsyncSession.open(doc, seed, (ctx, params, s) => WorkerMigrationMachine.create(ctx, params, s, platform));
    return this.session;
  }

  private drop(): void {
    this.session?.dispose();
    this.session = undefined;
  }

  private resolve(scenario: string | Json): ScenarioDoc {
    const kinds = this.opts.kinds ?? machineKinds;
    if (typeof scenario !== 'string') return parseScenario(scenario, kinds);
    const docs = (this.opts.scenarios ?? builtinScenarioDocs).map((d) => parseScenario(d, kinds));
    const found = docs.find((s) => s.name === scenario);
    if (!found) throw new DocumentError('', `unknown scenario "${scenario}" (known: ${docs.map((s) => s.name).join(', ')})`);
    return found;
  }
}
