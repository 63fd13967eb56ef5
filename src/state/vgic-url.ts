/**
 * The vGIC layout in the URL hash, compactly: `layout=k13_v8_d8000000_r0.80a0000.4_r1.8200000.4`.
 * Tokens joined by `_` (characters URLSearchParams leaves alone): `k12|k13|k16` kernel
 * profile, `v<n>` vCPUs, `c<id>.<id>…` creation order when not 0..n-1, `b<n>` IPA bits,
 * `d<hex>` DIST, `l<hex>` legacy REDIST, `i<hex>` ITS, `r<index>.<hex base>.<count>`
 * each REDIST_REGION in set order, `o` DIST set last. Hex without `0x`.
 */
import type { KernelProfile, VgicLayout } from '../../workers/api/types';

const PROFILES: Record<string, KernelProfile> = { k12: '5.12', k13: '5.13', k16: '5.16' };
const HEX = /^[0-9a-f]{1,16}$/;
const DEC = /^\d{1,4}$/;

function hexOf(v: string | number): string {
  const n = typeof v === 'number' ? BigInt(v) : BigInt(v.trim());
  return n.toString(16);
}

/** The layout as the compact hash form. */
export function encodeLayout(l: VgicLayout): string {
  const t: string[] = [`k${l.profile.slice(2)}`, `v${l.vcpus}`];
  if (l.vcpuIds && l.vcpuIds.some((id, i) => id !== i)) t.push(`c${l.vcpuIds.join('.')}`);
  if (l.ipaBits) t.push(`b${l.ipaBits}`);
  if (l.dist) t.push(`d${hexOf(l.dist.base)}`);
  if (l.redist) t.push(`l${hexOf(l.redist.base)}`);
  if (l.its) t.push(`i${hexOf(l.its.base)}`);
  for (const r of l.regions ?? []) t.push(`r${r.index}.${hexOf(r.base)}.${r.count}`);
  if (l.order === 'dist-last') t.push('o');
  return t.join('_');
}

/** Reads the compact form; undefined when any token is malformed (the URL is then ignored). */
export function decodeLayout(text: string): VgicLayout | undefined {
  const out: VgicLayout = { profile: '5.13', vcpus: 0 };
  const regions: NonNullable<VgicLayout['regions']> = [];
  for (const tok of text.split('_')) {
    const tag = tok[0];
    const rest = tok.slice(1);
    if (PROFILES[tok]) out.profile = PROFILES[tok];
    else if (tag === 'v' && DEC.test(rest) && Number(rest) <= 1024) out.vcpus = Number(rest);
    else if (tag === 'b' && DEC.test(rest) && Number(rest) <= 255) out.ipaBits = Number(rest);
    else if (tag === 'c' && rest.split('.').every((x) => DEC.test(x))) out.vcpuIds = rest.split('.').map(Number);
    else if ((tag === 'd' || tag === 'l' || tag === 'i') && HEX.test(rest))
      out[({ d: 'dist', l: 'redist', i: 'its' } as const)[tag]] = { base: `0x${rest}` };
    else if (tag === 'r') {
      const [index, base, count, extra] = rest.split('.');
      if (extra !== undefined || !DEC.test(index ?? '') || !HEX.test(base ?? '') || !DEC.test(count ?? ''))
        return undefined;
      regions.push({ index: Number(index), base: `0x${base}`, count: Number(count) });
    } else if (tok === 'o') out.order = 'dist-last';
    else return undefined;
  }
  if (out.vcpuIds && out.vcpuIds.length !== out.vcpus) return undefined;
  if (regions.length) out.regions = regions;
  return out;
}
