// One setup field: a select for choices, a text box for numbers that commits only valid values
// and says what is wrong with an invalid one.
import { formatField, parseField, type FieldSpec } from '../config/fields.ts';
import { CheckedInput } from './CheckedInput.tsx';

interface Props {
  field: FieldSpec;
  value: string | number;
  disabled: boolean;
  onChange: (value: string | number) => void;
}

export function SettingInput({ field, value, disabled, onChange }: Props) {
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
  return <CheckedInput id={id} label={field.label} value={value} parse={(text) => parseField(field, text)} format={formatField} disabled={disabled} onChange={onChange} />;
}
