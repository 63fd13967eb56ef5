/**
 * The lab's OVMF images: deterministic stand-in bytes of the real sizes (the 4 MiB
 * build), so LAUNCH_UPDATE_DATA encrypts and measures a realistic amount of data. The
 * code image starts like a firmware volume (signature `_FVH` at offset 0x28); the rest is
 * a fixed pseudo-random stream, the same on every run and host (like one OVMF build).
 */
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { SeededRng } from '../core/rng.js';
import { OVMF_CODE_SIZE, OVMF_VARS_SIZE } from '../vmm/memory-layout.js';

/** OVMF_CODE.fd (built once per call; callers keep it). */
export function ovmfCodeImage(): Uint8Array {
  const img = SeededRng.fromSeed('kvm-lab/OVMF_CODE.fd').bytes(OVMF_CODE_SIZE);
  img.fill(0, 0, 0x48);
  img.set(utf8ToBytes('_FVH'), 0x28);
  img.set(utf8ToBytes('kvm-lab OVMF (SEV live migration build)'), 0x100);
  return img;
}

/** OVMF_VARS.fd: an empty variable store (the header area zero, the rest erased flash 0xff). */
export function ovmfVarsImage(): Uint8Array {
  const img = new Uint8Array(OVMF_VARS_SIZE).fill(0xff);
  img.fill(0, 0, 0x48 + 0x1c);
  img.set(utf8ToBytes('_FVH'), 0x28);
  return img;
}
