/**
 * Saved things (scenarios, sessions, snapshots, scripts) are JSON documents carrying
 * `{format, version}`. Loading one checks both and reports the first problem with the
 * path where it is (`steps[3].attr`), so a user can find it in the file.
 */
import type { Json } from './events.js';

/** A problem in a document, with the path of the offending value. */
export class DocumentError extends Error {
  constructor(
    /** Where in the document, as `a.b[3].c`; empty for the document itself. */
    readonly path: string,
    /** What is wrong, one sentence, no path. */
    readonly problem: string,
  ) {
    super(path ? `${path}: ${problem}` : problem);
    this.name = 'DocumentError';
  }
}

/** Joins a path and a key the way messages show it. */
export function pathJoin(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

/** True for a plain JSON object (not an array, not null). */
export function isObject(v: unknown): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses JSON text, turning a syntax error into a {@link DocumentError}. */
export function parseJson(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch (err) {
    throw new DocumentError('', `not valid JSON (${(err as Error).message})`);
  }
}

/**
 * Checks a document's `format` and `version`. A newer version than this build knows is
 * refused (it may mean things we would misread); older versions go through `migrate`.
 */
export function checkHeader(doc: unknown, format: string, newestVersion: number): Record<string, Json> {
  if (!isObject(doc)) throw new DocumentError('', `expected a JSON object of format "${format}"`);
  if (doc.format !== format) {
    throw new DocumentError('format', `expected "${format}", found ${JSON.stringify(doc.format ?? null)}`);
  }
  const v = doc.version;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw new DocumentError('version', `expected a positive integer, found ${JSON.stringify(v ?? null)}`);
  }
  if (v > newestVersion) {
    throw new DocumentError('version', `version ${v} is newer than this lab understands (${newestVersion})`);
  }
  return doc;
}

/** Reads a required string field. */
export function readString(obj: Record<string, Json>, key: string, path: string): string {
  const v = obj[key];
  if (typeof v !== 'string') throw new DocumentError(pathJoin(path, key), `expected a string`);
  return v;
}

/** Reads a required integer field within [min, max]. */
export function readInt(
  obj: Record<string, Json>,
  key: string,
  path: string,
  min = Number.MIN_SAFE_INTEGER,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const v = obj[key];
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    throw new DocumentError(pathJoin(path, key), `expected an integer`);
  }
  if (v < min || v > max) throw new DocumentError(pathJoin(path, key), `expected ${min}..${max}, found ${v}`);
  return v;
}
