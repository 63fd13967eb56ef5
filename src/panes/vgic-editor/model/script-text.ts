/**
 * vgic-scripts as text: one step per line (as the reference's §11.6 examples are
 * written), so a script reads and diffs well and still parses as JSON; and a one-line
 * summary of a step for the player's table.
 */
import type { Json } from '../../../../workers/api/types';

/** The script with its header on the first line and one step per line. */
export function formatScript(script: Json): string {
  if (typeof script !== 'object' || script === null || Array.isArray(script) || !Array.isArray(script.steps))
    return JSON.stringify(script, null, 2);
  const { steps, ...head } = script;
  const header = JSON.stringify(head).slice(0, -1);
  const lines = steps.map((s) => ' ' + JSON.stringify(s));
  return `${header}${header.length > 1 ? ',' : ''}"steps":[\n${lines.join(',\n')}]}\n`;
}

/** A step without its `op`, `expect` and `note`, as `vm=vm vcpu_id=3`. */
export function stepArgs(step: Json): string {
  if (typeof step !== 'object' || step === null || Array.isArray(step)) return JSON.stringify(step);
  return Object.entries(step)
    .filter(([k]) => k !== 'op' && k !== 'expect' && k !== 'note')
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
}

/** A step result or expectation as a short text: `0`, `0 → 0x310`, `EINVAL`. */
export function resultText(r: Json | undefined): string {
  if (typeof r !== 'object' || r === null || Array.isArray(r)) return '';
  if (typeof r.error === 'string') return `error: ${r.error}`;
  if (typeof r.errno === 'string') return `-${r.errno}`;
  if (typeof r.ret === 'number') return typeof r.value === 'string' ? `${r.ret} → ${r.value}` : String(r.ret);
  return '';
}
