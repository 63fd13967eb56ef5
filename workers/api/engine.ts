/**
 * The engine behind {@link EngineApi}: a registry of scenarios and one loaded session.
 */
import { DocumentError } from '../core/documents.js';
import { matchesFilter } from '../core/events.js';
import type { EngineEvent, EventFilter, Json } from '../core/events.js';
import type { InputResult, MachineKind } from '../core/machine.js';
import { parseScenario, type ScenarioDoc } from '../core/scenario.js';
import { Session } from '../core/session.js';
import { packActions, parseSessionDoc, unpackActions, SESSION_FORMAT, type SessionDoc } from '../core/session-doc.js';
import { toSnapshotDoc, type SnapshotDoc } from '../core/snapshot.js';
import { DEFAULT_SCENARIO, builtinScenarioDocs, machineKinds } from '../scenarios/index.js';
import type { EngineApi, EngineState, GuestMemoryDigest, Outcome, ScenarioInfo } from './types.js';
import { inspectsHosts } from '../machines/host-inspection.js';
import { hostOutcome, inspectorFor } from './host-queries.js';
import { vgicBuiltinScript, vgicCatalog, vgicCompareProfiles, vgicEvaluate, vgicLayoutDoc, vgicPlayScript, vgicReadLayoutDoc, vgicRunScript } from './vgic-api.js';
import { LAB_VERSION } from './version.js';

/** Options for making an engine (tests use other registries). */
export interface EngineOptions {
  kinds?: ReadonlyMap<string, MachineKind>;
  scenarios?: readonly unknown[];
}

/** Runs one session at a time; every method is synchronous and never throws on bad input. */
export class Engine implements EngineApi {
  private readonly kinds: ReadonlyMap<string, MachineKind>;
  private readonly builtins: ScenarioDoc[];
  private session: Session;
  private generation = 0;

  constructor(opts: EngineOptions = {}) {
    this.kinds = opts.kinds ?? machineKinds;
    this.builtins = (opts.scenarios ?? builtinScenarioDocs).map((d) => parseScenario(d, this.kinds));
    const first = this.builtins.find((s) => s.name === DEFAULT_SCENARIO) ?? this.builtins[0];
    if (!first) throw new Error('no built-in scenario');
    this.session = this.open(first, first.seed ?? 0);
  }

  version(): string {
    return LAB_VERSION;
  }

  scenarios(): ScenarioInfo[] {
    return this.builtins.map((s) => ({
      name: s.name,
      title: s.title,
      description: s.description ?? '',
      machine: s.machine,
      seed: s.seed ?? 0,
    }));
  }

  load(scenario: string | Json, seed?: number): Outcome<EngineState> {
    try {
      const doc = this.resolveScenario(scenario);
      this.session = this.open(doc, seed ?? doc.seed ?? 0);
      return { ok: true, value: this.state() };
    } catch (err) {
      return { ok: false, error: errorText(err) };
    }
  }

  state(): EngineState {
    return {
      ...this.session.position(),
      scenario: this.session.scenario.name,
      seed: this.session.seed,
      generation: this.generation,
      summary: this.session.summary(),
    };
  }

  step(n = 1): EngineState {
    for (let i = 0; i < n; i++) if (!this.session.step()) break;
    return this.state();
  }

  back(n = 1): EngineState {
    return this.seek(this.session.position().cursor - n);
  }

  seek(cursor: number): EngineState {
    const before = this.session.position().cursor;
    this.session.seek(cursor);
    if (this.session.position().cursor < before) this.generation++;
    return this.state();
  }

  seekToEvent(seq: number): EngineState {
    const before = this.session.position().cursor;
    this.session.seekToEvent(seq);
    if (this.session.position().cursor < before) this.generation++;
    return this.state();
  }

  reset(): EngineState {
    return this.seek(0);
  }

  runUntil(filter: EventFilter, maxSteps = 100_000): Outcome<EngineEvent> {
    let from = this.session.position().events;
    for (let i = 0; i <= maxSteps; i++) {
      const hit = this.session.events(from).find((e) => matchesFilter(e, filter));
      if (hit) return { ok: true, value: hit };
      from = this.session.position().events;
      if (i === maxSteps || !this.session.step()) break;
    }
    return { ok: false, error: `no event matching ${JSON.stringify(filter)} before the run went idle or ${maxSteps} steps passed` };
  }

  input(input: Json): InputResult {
    return this.session.input(input);
  }

  events(from = 0, to?: number): EngineEvent[] {
    return this.session.events(from, to);
  }

  exportSession(): SessionDoc {
    return {
      format: SESSION_FORMAT,
      version: 1,
      scenario: this.session.scenario as unknown as Json,
      seed: this.session.seed,
      cursor: this.session.position().cursor,
      actions: packActions(this.session.timeline()),
    };
  }

  importSession(doc: Json): Outcome<EngineState> {
    try {
      const parsed = parseSessionDoc(doc);
      const scenario = this.resolveScenario(parsed.scenario);
      const session = this.open(scenario, parsed.seed);
      for (const a of unpackActions(parsed)) {
        if ('tick' in a) {
          if (!session.step()) throw new DocumentError('actions', 'more ticks than the run has work for');
        } else session.input(a.input);
      }
      session.seek(parsed.cursor);
      this.session = session;
      return { ok: true, value: this.state() };
    } catch (err) {
      return { ok: false, error: errorText(err) };
    }
  }

  snapshot(): SnapshotDoc {
    return toSnapshotDoc(this.session.scenario as unknown as Json, this.session.seed, this.session.checkpointNow());
  }

  hostNames(): string[] {
    const m = this.session.current();
    return inspectsHosts(m) ? m.hostNames() : [];
  }

  guestMemoryDigest(host: string): Outcome<GuestMemoryDigest> {
    const m = inspectorFor<false>(this.session.current(), this.session.scenario.name, host);
    return typeof m === 'string' ? { ok: false, error: m } : hostOutcome(m.guestMemoryDigest(host), host);
  }

  pageStates(host: string): Outcome<Uint8Array> {
    const m = inspectorFor<false>(this.session.current(), this.session.scenario.name, host);
    return typeof m === 'string' ? { ok: false, error: m } : hostOutcome(m.pageStates(host), host);
  }

  // The vGIC editor's calls are stateless: each builds a fresh kernel model.
  vgicCatalog = vgicCatalog;
  vgicBuiltinScript = vgicBuiltinScript;
  vgicEvaluate = vgicEvaluate;
  vgicCompareProfiles = vgicCompareProfiles;
  vgicRunScript = vgicRunScript;
  vgicPlayScript = vgicPlayScript;
  vgicReadLayoutDoc = vgicReadLayoutDoc;
  vgicLayoutDoc = vgicLayoutDoc;

  private resolveScenario(scenario: string | Json): ScenarioDoc {
    if (typeof scenario === 'string') {
      const found = this.builtins.find((s) => s.name === scenario);
      if (!found) {
        throw new DocumentError('', `unknown scenario "${scenario}" (known: ${this.builtins.map((s) => s.name).join(', ')})`);
      }
      return found;
    }
    return parseScenario(scenario, this.kinds);
  }

  private open(doc: ScenarioDoc, seed: number): Session {
    const kind = this.kinds.get(doc.machine);
    if (!kind) throw new DocumentError('machine', `unknown machine "${doc.machine}"`);
    this.generation++;
    return new Session(doc, seed, kind);
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
