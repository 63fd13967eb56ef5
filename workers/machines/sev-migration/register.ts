/** The sev-migration machine kind and its built-in scenarios, for workers/scenarios/index.ts. */
import busy1g from '../../scenarios/migration-busy-1g.json' with { type: 'json' };
import dflt from '../../scenarios/migration-default.json' with { type: 'json' };
import neverEnabled from '../../scenarios/migration-never-enabled.json' with { type: 'json' };
import nonEfi from '../../scenarios/migration-non-efi.json' with { type: 'json' };
import nosend from '../../scenarios/migration-nosend-policy.json' with { type: 'json' };
import replay from '../../scenarios/migration-replay.json' with { type: 'json' };
import secondHop from '../../scenarios/migration-second-hop.json' with { type: 'json' };
import tampered from '../../scenarios/migration-tampered-packet.json' with { type: 'json' };
import untrusted from '../../scenarios/migration-untrusted-target.json' with { type: 'json' };
import v11 from '../../scenarios/migration-v11-abi.json' with { type: 'json' };
import wrongList from '../../scenarios/migration-wrong-shared-list.json' with { type: 'json' };
import { sevMigrationMachine } from './sev-migration-machine.js';

/** The machine kind. */
export const sevMigrationKind = sevMigrationMachine;

/** Its scenario documents, `default` first. */
export const sevMigrationScenarios: readonly unknown[] = [dflt, v11, nonEfi, nosend, untrusted, tampered, wrongList, replay, neverEnabled, busy1g, secondHop];
