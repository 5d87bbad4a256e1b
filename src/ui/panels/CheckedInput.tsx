// A text box that commits only values its parser accepts and says what is wrong with the others.
// The draft follows the committed value when that changes elsewhere (a preset, the URL, a resume).
// Every number box of the panels is one of these (setup fields, search, retrain, isometry, data).
import { useEffect, useState, type ReactNode } from 'react';
import type { Parsed } from '../config/numberText.ts';

interface Props<T> {
  id: string;
  label: ReactNode;
  value: T;
  parse: (text: string) => Parsed<T>;
  /** Text of a committed value (default: String, with null as empty). */
  format?: (value: T) => string;
  onChange: (value: T) => void;
  disabled?: boolean;
  placeholder?: string;
  inputMode?: 'numeric' | 'decimal';
}

const plain = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

export function CheckedInput<T>({ id, label, value, parse, format = plain, onChange, disabled = false, placeholder, inputMode = 'decimal' }: Props<T>) {
  const [draft, setDraft] = useState(format(value));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setDraft(format(value));
    setError(null);
  }, [value]); // only a new committed value resets the draft (format and parse may be new each render)
  const commit = (text: string) => {
    setDraft(text);
    const r = parse(text);
    if ('error' in r) setError(r.error);
    else {
      setError(null);
      if (!Object.is(r.value, value)) onChange(r.value);
    }
  };
  return (
    <label htmlFor={id}>
      <span>{label}</span>
      <input
        id={id}
        data-testid={id}
        inputMode={inputMode}
        value={draft}
        placeholder={placeholder}
        disabled={disabled}
        aria-invalid={error !== null}
        onChange={(e) => commit(e.target.value)}
      />
      {error !== null && <small className="error">{error}</small>}
    </label>
  );
}
