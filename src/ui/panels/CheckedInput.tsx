// A text box that commits only values its parser accepts and says what is wrong with the others.
// The draft follows the committed value when that changes elsewhere (a preset, the URL, a resume).
// Every number box of the panels is one of these (setup fields, search, retrain, isometry, data).
// An invalid draft is registered in the store (fieldErrors) until it is fixed or the box goes.
import { useEffect, useState, type ReactNode } from 'react';
import { fieldName } from '../config/fields.ts';
import type { Parsed } from '../config/numberText.ts';
import { useStore } from '../store/index.ts';

interface Props<T> {
  id: string;
  label: ReactNode;
  /** The name messages use ("Resolution must be ..."); default: a string label without its "(unit)". */
  name?: string;
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

export function CheckedInput<T>({ id, label, name, value, parse, format = plain, onChange, disabled = false, placeholder, inputMode = 'decimal' }: Props<T>) {
  const who = name ?? (typeof label === 'string' ? fieldName(label) : 'This value');
  const [draft, setDraft] = useState(format(value));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setDraft(format(value));
    setError(null);
  }, [value]); // only a new committed value resets the draft (format and parse may be new each render)
  // the store knows every invalid draft, so the action that would use it is disabled with the reason
  useEffect(() => {
    useStore.getState().setFieldError(id, error);
  }, [id, error]);
  useEffect(() => () => useStore.getState().setFieldError(id, null), [id]);
  const commit = (text: string) => {
    setDraft(text);
    const r = parse(text);
    if ('error' in r) setError(`${who} must be ${r.error}`);
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
        aria-describedby={error !== null ? `${id}-error` : undefined}
        onChange={(e) => commit(e.target.value)}
      />
      {error !== null && (
        <small className="error" id={`${id}-error`} data-testid={`${id}-error`}>
          {error}
        </small>
      )}
    </label>
  );
}
