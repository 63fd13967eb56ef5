/**
 * The built-in scenarios and the machine kinds they can name. A new machine kind is
 * registered in `machineKinds`; a new scenario is a JSON file in this folder added to
 * `builtinScenarioDocs`.
 */
import type { MachineKind } from '../core/machine.js';
import { helloMachine } from '../machines/hello/hello-machine.js';
import hello from './hello.json' with { type: 'json' };
import { sevBootKind, sevBootScenarios } from '../machines/sev-boot/register.js';
import { sevMigrationKind, sevMigrationScenarios } from '../machines/sev-migration/register.js';

/** Machine kinds by name. */
export const machineKinds: ReadonlyMap<string, MachineKind> = new Map([[helloMachine.kind, helloMachine], [sevBootKind.kind, sevBootKind], [sevMigrationKind.kind, sevMigrationKind]]);

/** The scenario documents shipped with the lab, first = the default. */
export const builtinScenarioDocs: readonly unknown[] = [hello, ...sevBootScenarios, ...sevMigrationScenarios];

/** The scenario the lab opens with. */
export const DEFAULT_SCENARIO = 'default';
