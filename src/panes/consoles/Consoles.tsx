/** Console output, from the `console.line` events of the log (xterm consoles come with the SEV host). */
import { useMemo } from 'react';
import { useLab } from '../../state/store';

export function Consoles() {
  const events = useLab((s) => s.events);
  const text = useMemo(
    () =>
      events
        .filter((e) => e.kind === 'console.line')
        .map((e) => {
          const p = e.payload as { console: string; text: string };
          return `[${p.console}] ${p.text}\n`;
        })
        .join(''),
    [events],
  );
  return (
    <div className="tab-body consoles">
      <pre aria-label="Console output" tabIndex={0}>
        {text}
      </pre>
    </div>
  );
}
