/**
 * The vgic-scripts shipped with the lab (the vgic_init selftest cases for 5.13 and 5.16,
 * and one 5.12 script per fix of the v6 series; reference §8, §9.1, §11), so the editor's
 * script player can load them by id. The files belong to `workers/vgic/scripts/`; this
 * list only names them.
 */
import s513_01 from './5.13/01-test_kvm_device.json' with { type: 'json' };
import s513_02 from './5.13/02-test_vcpus_then_vgic.json' with { type: 'json' };
import s513_03 from './5.13/03-test_vgic_then_vcpus.json' with { type: 'json' };
import s513_04 from './5.13/04-test_new_redist_regions.json' with { type: 'json' };
import s513_05 from './5.13/05-test_typer_accesses.json' with { type: 'json' };
import s513_06 from './5.13/06-test_last_bit_redist_regions.json' with { type: 'json' };
import s513_07 from './5.13/07-test_last_bit_single_rdist.json' with { type: 'json' };
import s516_01 from './5.16/01-test_kvm_device.json' with { type: 'json' };
import s516_02 from './5.16/02-test_vcpus_then_vgic.json' with { type: 'json' };
import s516_03 from './5.16/03-test_vgic_then_vcpus.json' with { type: 'json' };
import s516_04 from './5.16/04-test_new_redist_regions.json' with { type: 'json' };
import s516_05 from './5.16/05-test_typer_accesses.json' with { type: 'json' };
import s516_06 from './5.16/06-test_last_bit_redist_regions.json' with { type: 'json' };
import s516_07 from './5.16/07-test_last_bit_single_rdist.json' with { type: 'json' };
import s516_08 from './5.16/08-test_v3_redist_ipa_range_check_at_vcpu_run.json' with { type: 'json' };
import s516_09 from './5.16/09-test_v3_its_region.json' with { type: 'json' };
import s512_01 from './5.12/01-patch1-second-legacy-redist.json' with { type: 'json' };
import s512_02 from './5.12/02-patch1-region-after-legacy.json' with { type: 'json' };
import s512_03 from './5.12/03-patch2-redist-region-read.json' with { type: 'json' };
import s512_04 from './5.12/04-patch3-failed-region-stays.json' with { type: 'json' };
import s512_05 from './5.12/05-patch4-dist-base-after-teardown.json' with { type: 'json' };
import s512_06 from './5.12/06-patch8-typer-last.json' with { type: 'json' };
import s512_07 from './5.12/07-redist-read-empty.json' with { type: 'json' };

/** Built-in scripts by id (`5.13/06-test_last_bit_redist_regions`), in menu order. */
export const BUILTIN_VGIC_SCRIPTS: ReadonlyMap<string, unknown> = new Map<string, unknown>([
  ['5.13/01-test_kvm_device', s513_01],
  ['5.13/02-test_vcpus_then_vgic', s513_02],
  ['5.13/03-test_vgic_then_vcpus', s513_03],
  ['5.13/04-test_new_redist_regions', s513_04],
  ['5.13/05-test_typer_accesses', s513_05],
  ['5.13/06-test_last_bit_redist_regions', s513_06],
  ['5.13/07-test_last_bit_single_rdist', s513_07],
  ['5.16/01-test_kvm_device', s516_01],
  ['5.16/02-test_vcpus_then_vgic', s516_02],
  ['5.16/03-test_vgic_then_vcpus', s516_03],
  ['5.16/04-test_new_redist_regions', s516_04],
  ['5.16/05-test_typer_accesses', s516_05],
  ['5.16/06-test_last_bit_redist_regions', s516_06],
  ['5.16/07-test_last_bit_single_rdist', s516_07],
  ['5.16/08-test_v3_redist_ipa_range_check_at_vcpu_run', s516_08],
  ['5.16/09-test_v3_its_region', s516_09],
  ['5.12/01-patch1-second-legacy-redist', s512_01],
  ['5.12/02-patch1-region-after-legacy', s512_02],
  ['5.12/03-patch2-redist-region-read', s512_03],
  ['5.12/04-patch3-failed-region-stays', s512_04],
  ['5.12/05-patch4-dist-base-after-teardown', s512_05],
  ['5.12/06-patch8-typer-last', s512_06],
  ['5.12/07-redist-read-empty', s512_07],
]);
