/**
 * A number input that lets the user clear it and type: the text is kept while typing,
 * every whole number in range is applied at once, and leaving the field shows the value
 * in force again.
 */
import { useState, type InputHTMLAttributes } from 'react';

interface Props extends Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'type' | 'min' | 'max'> {
  value: number;
  min: number;
  max: number;
  onValue: (n: number) => void;
}

export function NumberField({ value, min, max, onValue, ...rest }: Props) {
  const [draft, setDraft] = useState<string | null>(null);
  return (
    <input
      {...rest}
      type="number"
      min={min}
      max={max}
      value={draft ?? String(value)}
      onChange={(e) => {
        setDraft(e.target.value);
        const n = e.target.valueAsNumber;
        if (Number.isInteger(n) && n >= min && n <= max) onValue(n);
      }}
      onBlur={() => setDraft(null)}
    />
  );
}
