// One setup field: a select for choices, a text box for numbers that commits only valid values
// and says what is wrong with an invalid one.
import { useEffect, useState } from 'react';
import { formatField, parseField, type FieldSpec } from '../config/fields.ts';

interface Props {
  field: FieldSpec;
  value: string | number;
  disabled: boolean;
  onChange: (value: string | number) => void;
}

export function SettingInput({ field, value, disabled, onChange }: Props) {
  const [draft, setDraft] = useState(formatField(value));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setDraft(formatField(value));
    setError(null);
  }, [value]);
  const id = `setting-${field.param}`;
  if (field.kind === 'choice') {
    return (
      <label htmlFor={id}>
        <span>{field.label}</span>
        <select id={id} data-testid={id} value={String(value)} disabled={disabled} onChange={(e) => onChange(e.target.value)}>
          {field.options.map((o) => (
            <option key={o}>{o}</option>
          ))}
        </select>
      </label>
    );
  }
  const commit = (text: string) => {
    setDraft(text);
    const r = parseField(field, text);
    if ('error' in r) setError(r.error);
    else {
      setError(null);
      if (r.value !== value) onChange(r.value);
    }
  };
  return (
    <label htmlFor={id}>
      <span>{field.label}</span>
      <input
        id={id}
        data-testid={id}
        inputMode="decimal"
        value={draft}
        disabled={disabled}
        aria-invalid={error !== null}
        onChange={(e) => commit(e.target.value)}
      />
      {error !== null && <small className="error">{error}</small>}
    </label>
  );
}
