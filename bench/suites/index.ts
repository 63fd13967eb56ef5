/** Every bench suite, in the order `npm run bench` runs them. Add a suite here. */
import type { BenchSuite } from '../suite.js';
import { engineCoreBench } from './engine-core.js';
import { migrationBench } from './migration.js';
import { migration1gBench } from './migration-1g.js';
import { pspCryptoBench } from './psp-crypto.js';
import { pspFirmwareBench } from './psp-firmware.js';
import { sevHostBench } from './sev-host.js';

export const suites: readonly BenchSuite[] = [engineCoreBench, pspCryptoBench, pspFirmwareBench, sevHostBench, migrationBench, migration1gBench];
