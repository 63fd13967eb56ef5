/**
 * The address-space drawing in words, for screen readers and for the "Frames" table's
 * caption: the IPA size, each block with its extent, which vCPUs its frames serve and
 * which of them have Last, and the kernel's verdict.
 */
import type { LayoutEvaluation, LayoutFrame } from '../../../../workers/api/types';
import { formatSize, hexAddr } from './addr';
import { blockName, type Block } from './blocks';
import { framesByBlock } from './frames';
import { errnoLabel, phaseLabel } from './marks';

/** `0, 1, 2, 3` as `0–3`; `0, 3, 5` stays a list. */
export function vcpuList(ids: readonly number[]): string {
  if (!ids.length) return 'none';
  const parts: string[] = [];
  let i = 0;
  while (i < ids.length) {
    let j = i;
    while (j + 1 < ids.length && ids[j + 1] === ids[j] + 1) j++;
    parts.push(j > i + 1 ? `${ids[i]}–${ids[j]}` : j === i + 1 ? `${ids[i]}, ${ids[j]}` : `${ids[i]}`);
    i = j + 1;
  }
  return parts.join(', ');
}

function blockSentence(b: Block, frames: LayoutFrame[] | undefined): string {
  const where = `${blockName(b)} at ${hexAddr(b.base)}–${hexAddr(b.base + b.size - 1n)}`;
  if (b.kind === 'dist' || b.kind === 'its') return `${where}.`;
  const served = (frames ?? []).map((f) => f.vcpuId);
  const last = (frames ?? []).filter((f) => f.typer?.last).map((f) => f.vcpuId);
  return `${where}, ${b.frames} frame${b.frames === 1 ? '' : 's'} serving vCPU ${vcpuList(served)}; Last set for vCPU ${vcpuList(last)}.`;
}

/** The verdict in one sentence. */
export function verdictSentence(e: LayoutEvaluation | null): string {
  if (!e) return 'The kernel has not answered yet.';
  if (e.error) return `The layout cannot be read: ${e.error}.`;
  if (e.ok) return `The ${e.profile} kernel accepts the layout and KVM_RUN returns 0.`;
  const f = e.failures[0];
  return `The ${e.profile} kernel refuses it: ${errnoLabel(f)} at ${phaseLabel(f)} — ${f.explanation}.`;
}

/** The whole drawing in words. */
export function layoutSummary(blocks: readonly Block[], e: LayoutEvaluation | null, ipaSize: bigint): string {
  const head = `Guest physical address space of ${formatSize(Number(ipaSize))} (${e?.ipaBits ?? 40}-bit IPA).`;
  if (!blocks.length) return `${head} No blocks yet. ${verdictSentence(e)}`;
  const frames = framesByBlock(blocks, e);
  const parts = blocks.map((b) => blockSentence(b, frames.get(b.id)));
  const unplaced = e?.unplaced.length
    ? ` vCPU ${vcpuList(e.unplaced)} ha${e.unplaced.length === 1 ? 's' : 've'} no frame.`
    : '';
  return `${head} ${blocks.length} block${blocks.length === 1 ? '' : 's'}: ${parts.join(' ')}${unplaced} ${verdictSentence(e)}`;
}
