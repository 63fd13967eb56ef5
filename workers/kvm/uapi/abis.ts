/** Picks an ABI by id (the scenario's `abi` parameter). */
import type { AbiId, SevMigrationAbi } from './abi.js';
import { abiUpstream } from './abi-upstream.js';
import { abiV11 } from './abi-v11.js';

/** The ABI a scenario names. */
export function abiById(id: AbiId): SevMigrationAbi {
  return id === 'v11' ? abiV11 : abiUpstream;
}
