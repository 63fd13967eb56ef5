/** The sev-boot machine kind and its built-in scenarios, for workers/scenarios/index.ts. */
import noMsr from '../../scenarios/sev-boot-no-msr.json' with { type: 'json' };
import noOvmfFeature from '../../scenarios/sev-boot-no-ovmf-feature.json' with { type: 'json' };
import upstreamEfi from '../../scenarios/sev-boot-upstream-efi.json' with { type: 'json' };
import upstreamNoEfi from '../../scenarios/sev-boot-upstream-noefi.json' with { type: 'json' };
import v11Efi from '../../scenarios/sev-boot-v11-efi.json' with { type: 'json' };
import { sevBootMachine } from './sev-boot-machine.js';

/** The machine kind. */
export const sevBootKind = sevBootMachine;

/** Its scenario documents. */
export const sevBootScenarios: readonly unknown[] = [upstreamEfi, v11Efi, upstreamNoEfi, noOvmfFeature, noMsr];
