/**
 * The vgic-script player: the loaded script's steps with each step's result as the
 * cursor passes it (step / back / run all / reset), the expectation it was checked
 * against, and whether it matched. While it plays, the address space shows the layout
 * the script has built; "Edit this layout" takes that layout over into the editor.
 */
import { useEffect, useRef } from 'react';
import { useController } from '../../components/controller-context';
import { useLab } from '../../state/store';
import { resultText, stepArgs } from './model/script-text';
import { ScriptLoader } from './ScriptLoader';
import type { Json } from '../../../workers/api/types';

export function ScriptPlayer() {
  const ctl = useController();
  const player = useLab((s) => s.vgic.player);
  const table = useRef<HTMLTableElement>(null);
  const upTo = player?.playback.upTo ?? 0;
  useEffect(() => {
    table.current?.querySelector(`[data-step="${Math.max(0, upTo - 1)}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [upTo]);
  if (!player) return <ScriptLoader />;
  const { playback: p } = player;
  const steps = (player.script as { steps?: Json[] }).steps ?? [];
  const end = p.result.steps.length;
  const failed = p.matches.filter((m) => m === false).length;
  return (
    <div className="vgic-player">
      <div className="vgic-toolbar" role="toolbar" aria-label="Script player">
        <strong>{player.name}</strong>
        <span className="summary">kernel {p.result.kernel}</span>
        <button type="button" onClick={() => void ctl.vgicPlayer.reset()} disabled={p.upTo === 0}>
          Reset
        </button>
        <button type="button" onClick={() => void ctl.vgicPlayer.back()} disabled={p.upTo === 0}>
          Back
        </button>
        <button type="button" className="primary" onClick={() => void ctl.vgicPlayer.step()} disabled={p.upTo >= end}>
          Step
        </button>
        <button type="button" onClick={() => void ctl.vgicPlayer.runAll()} disabled={p.upTo >= end}>
          Run all
        </button>
        <span data-testid="vgic-player-position" aria-live="polite">
          step {p.upTo} of {p.total}
          {end < p.total ? ` (stops at step ${end - 1})` : ''}
          {p.upTo === end && failed ? ` · ${failed} expectation${failed === 1 ? '' : 's'} not met` : ''}
        </span>
        <button type="button" disabled={!p.view} onClick={() => p.view && void ctl.vgic.takeOver(p.view.layout)}>
          Edit this layout
        </button>
        <button type="button" onClick={() => ctl.vgicPlayer.close()}>
          Close script
        </button>
      </div>
      <table ref={table} className="vgic-table" data-testid="vgic-player-steps">
        <caption className="visually-hidden">Steps of {player.name} and their results</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">op</th>
            <th scope="col">arguments</th>
            <th scope="col">expect</th>
            <th scope="col">result</th>
            <th scope="col">match</th>
          </tr>
        </thead>
        <tbody>
          {steps.map((s, i) => {
            const done = i < p.upTo;
            const r = done ? (p.result.steps[i] as Json | undefined) : undefined;
            const m = p.matches[i];
            const step = s as { op?: unknown; expect?: Json };
            return (
              <tr
                key={i}
                className={i === p.upTo - 1 ? 'current' : done ? undefined : 'pending'}
                aria-current={i === p.upTo - 1 ? 'step' : undefined}
                data-step={i}
              >
                <td>{i}</td>
                <td>{typeof step.op === 'string' ? step.op : '?'}</td>
                <td className="mono wrap">{stepArgs(s)}</td>
                <td className="mono">{resultText(step.expect)}</td>
                <td className="mono wrap" data-testid="vgic-step-result">
                  {r ? resultText(r) : ''}
                  {r && 'why' in (r as object) ? (
                    <span className="summary"> — {String((r as { why: unknown }).why)}</span>
                  ) : null}
                </td>
                <td>
                  {done && m !== null ? (
                    m ? (
                      <span className="vgic-match-ok">✓</span>
                    ) : (
                      <span className="vgic-match-bad">✗ mismatch</span>
                    )
                  ) : (
                    ''
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
