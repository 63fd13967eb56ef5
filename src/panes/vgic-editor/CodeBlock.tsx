/**
 * A block of text to copy: a title, a Copy button (the clipboard, or the text is
 * selected when the clipboard is refused) and the text itself.
 */
import { useRef, useState, type ReactNode } from 'react';
import { copyText } from './download';

interface Props {
  title: string;
  text: string;
  testId?: string;
  children?: ReactNode;
}

export function CodeBlock({ title, text, testId, children }: Props) {
  const pre = useRef<HTMLPreElement>(null);
  const [status, setStatus] = useState('');
  const id = `vgic-code-${title.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <div className="vgic-code">
      <div className="vgic-code-head">
        <h3 id={id}>{title}</h3>
        <button
          type="button"
          aria-describedby={id}
          onClick={() =>
            void copyText(text, pre.current).then((how) =>
              setStatus(
                how === 'copied'
                  ? 'Copied to the clipboard.'
                  : 'The clipboard is not available: the text is selected, press Ctrl+C to copy it.',
              ),
            )
          }
        >
          Copy
        </button>
        {children}
        <span role="status" className="summary">
          {status}
        </span>
      </div>
      <pre ref={pre} tabIndex={0} role="region" aria-labelledby={id} data-testid={testId}>
        {text}
      </pre>
    </div>
  );
}
