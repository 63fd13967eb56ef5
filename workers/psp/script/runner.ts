/**
 * The psp-script v1 runner (reference §17): a script document in, a result document out.
 * Pure — no Node APIs, no I/O — so the CLI, tests and a Web Worker run it alike.
 *
 * Every platform is a fresh PSP (UNINIT, empty persistent state) with its own hardware;
 * the seed drives every random byte, so the same script gives the same bytes. Steps run
 * in order; a step that cannot run gives SCRIPT_ERROR and stops the script (§17.4).
 * Expectations are checked afterwards (§17.6) and reported as mismatches; they never
 * change a result.
 */
import { VirtualClock } from '../../core/clock.js';
import { checkHeader, DocumentError, isObject, parseJson } from '../../core/documents.js';
import { EventLog } from '../../core/event-log.js';
import { type EngineEvent, type Json } from '../../core/events.js';
import { SeededRng } from '../../core/rng.js';
import { runCmdStep } from './cmd-step.js';
import { mismatch, parseExpect, type StepResult } from './expect.js';
import { runBlobStep, runHostStep, runMemStep, runOwnerStep } from './other-steps.js';
import { ScriptPlatform } from './platform.js';
import { savedFromOut, ScriptError, Values } from './values.js';

/** Format name of a script document. */
export const PSP_SCRIPT_FORMAT = 'kvm-lab/psp-script';
/** Format name of a result document. */
export const PSP_RESULT_FORMAT = 'kvm-lab/psp-result';

/** The result document of one script (§17.5). */
export interface PspResult {
  format: typeof PSP_RESULT_FORMAT;
  version: 1;
  file: string;
  /** Present only when the script could not be parsed at all. */
  error?: string;
  steps: StepResult[];
}

/** One expectation that did not hold. */
export interface Mismatch {
  /** Index into the script's steps, or -1 for the script as a whole. */
  step: number;
  message: string;
}

/** What a run produces: the result document, the mismatches, and the run's log. */
export interface PspRun {
  result: PspResult;
  mismatches: Mismatch[];
  /** The event log of the run (one `psp.command` per mailbox command). */
  events: EngineEvent[];
  /** Key logs by platform name (instructor mode only). */
  keyLogs: Record<string, string>;
}

/** Options of {@link runPspScript}. */
export interface RunOptions {
  /** Build the PSPs in instructor mode (key logs). */
  instructor?: boolean;
}

const STEP_KINDS = ['cmd', 'mem', 'host', 'owner', 'blob'] as const;

/** Parsed top level of a script. */
interface Script {
  seed: number | string;
  platforms: string[];
  steps: Json[];
}

function parseScript(doc: Json): Script {
  const d = checkHeader(doc, PSP_SCRIPT_FORMAT, 1);
  if (d.name !== undefined && typeof d.name !== 'string') throw new DocumentError('name', 'expected a string');
  const seed = d.seed ?? 0;
  if (typeof seed !== 'string' && (typeof seed !== 'number' || !Number.isSafeInteger(seed))) {
    throw new DocumentError('seed', 'expected an integer');
  }
  const platforms = d.platforms ?? ['psp'];
  if (!Array.isArray(platforms) || platforms.length === 0) throw new DocumentError('platforms', 'expected a non-empty array of names');
  platforms.forEach((p, i) => {
    if (typeof p !== 'string' || p === '') throw new DocumentError(`platforms[${i}]`, 'expected a non-empty string');
    if (platforms.indexOf(p) !== i) throw new DocumentError(`platforms[${i}]`, `duplicate platform ${JSON.stringify(p)}`);
  });
  if (!Array.isArray(d.steps)) throw new DocumentError('steps', 'expected an array');
  return { seed, platforms: platforms as string[], steps: d.steps };
}

/** Runs a script given as JSON text or as a parsed document. Never throws. */
export function runPspScript(input: string | Json, file: string, opts: RunOptions = {}): PspRun {
  let script: Script;
  try {
    script = parseScript(typeof input === 'string' ? parseJson(input) : input);
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    return {
      result: { format: PSP_RESULT_FORMAT, version: 1, file, error, steps: [] },
      mismatches: [{ step: -1, message: `cannot be parsed: ${error}` }],
      events: [],
      keyLogs: {},
    };
  }
  const clock = new VirtualClock();
  const log = new EventLog(clock);
  const rng = SeededRng.fromSeed(script.seed);
  const platforms = new Map(
    script.platforms.map((name) => [name, new ScriptPlatform(name, rng.fork(`platform/${name}`), clock, log, opts.instructor ?? false)]),
  );
  const ownerRng = rng.fork('owner');
  const values = new Values();
  const results: StepResult[] = [];
  for (let i = 0; i < script.steps.length; i++) {
    const r = runStep(script.steps[i], platforms, values, ownerRng);
    results.push(r);
    if (r.status === 'SCRIPT_ERROR') break;
  }
  const keyLogs: Record<string, string> = {};
  for (const [name, p] of platforms) {
    const k = p.psp.keyLog();
    if (k !== undefined) keyLogs[name] = k;
  }
  return {
    result: { format: PSP_RESULT_FORMAT, version: 1, file, steps: results },
    mismatches: checkExpectations(script.steps, results),
    events: log.slice(),
    keyLogs,
  };
}

function runStep(step: Json, platforms: Map<string, ScriptPlatform>, values: Values, ownerRng: SeededRng): StepResult {
  try {
    if (!isObject(step)) throw new ScriptError('a step must be an object');
    const kinds = STEP_KINDS.filter((k) => step[k] !== undefined);
    if (kinds.length !== 1) throw new ScriptError(`a step needs exactly one of ${STEP_KINDS.join(', ')} (found ${kinds.join(', ') || 'none'})`);
    const kind = kinds[0];
    if (step.expect !== undefined) parseExpect(step.expect);
    const save = parseSave(step.save);
    const platform = (): ScriptPlatform => pickPlatform(step.on, platforms);
    if (step.on !== undefined) platform();
    let result: StepResult;
    switch (kind) {
      case 'cmd':
        result = runCmdStep(platform(), step, values);
        break;
      case 'mem':
        result = { status: 'SUCCESS', out: runMemStep(platform(), step, values) };
        break;
      case 'host':
        result = { status: 'SUCCESS', out: runHostStep(platform(), step, values) };
        break;
      case 'owner':
        result = { status: 'SUCCESS', out: runOwnerStep(step, values, ownerRng) };
        break;
      case 'blob':
        result = { status: 'SUCCESS', out: runBlobStep(step, values) };
        break;
    }
    for (const [name, field] of save) {
      const v = 'out' in result ? result.out[field] : undefined;
      const saved = v === undefined ? undefined : savedFromOut(v);
      if (!saved) throw new ScriptError(`save: out has no field ${JSON.stringify(field)} (status ${result.status})`);
      values.save(name, saved);
    }
    return result;
  } catch (err) {
    // ScriptError is the expected case; anything else is a runner bug, still reported as a result.
    const msg = err instanceof Error ? err.message : String(err);
    return { status: 'SCRIPT_ERROR', error: err instanceof ScriptError ? msg : `internal error: ${msg}` };
  }
}

function parseSave(v: Json | undefined): [string, string][] {
  if (v === undefined) return [];
  if (!isObject(v)) throw new ScriptError('save: expected an object of NAME: FIELD');
  return Object.entries(v).map(([name, field]) => {
    if (typeof field !== 'string') throw new ScriptError(`save.${name}: expected a field name`);
    return [name, field];
  });
}

function pickPlatform(on: Json | undefined, platforms: Map<string, ScriptPlatform>): ScriptPlatform {
  if (on === undefined) {
    if (platforms.size === 1) return [...platforms.values()][0];
    throw new ScriptError(`"on" is required with several platforms (${[...platforms.keys()].join(', ')})`);
  }
  const p = typeof on === 'string' ? platforms.get(on) : undefined;
  if (!p) throw new ScriptError(`unknown platform ${JSON.stringify(on)}`);
  return p;
}

/** Checks every step's `expect` against its result (§17.6). */
export function checkExpectations(steps: readonly Json[], results: readonly StepResult[]): Mismatch[] {
  const out: Mismatch[] = [];
  steps.forEach((step, i) => {
    if (!isObject(step) || step.expect === undefined) return;
    let message: string | undefined;
    try {
      message = mismatch(parseExpect(step.expect), results[i]);
    } catch (err) {
      message = err instanceof Error ? err.message : String(err);
    }
    if (message) out.push({ step: i, message });
  });
  return out;
}
