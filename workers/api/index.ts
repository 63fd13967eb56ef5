/**
 * The engine's public surface. The UI imports types from here only; Node clients (CLI,
 * tests, bench) may also make an {@link Engine}.
 */
export type * from './types.js';
export { Engine, type EngineOptions } from './engine.js';
export { LAB_VERSION } from './version.js';
