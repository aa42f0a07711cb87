/** A labelled <select> over a list of choices: the one shape every chooser in the app has. */
export interface Choice<T extends string> {
  id: T;
  label: string;
}

export function SelectField<T extends string>({
  label,
  testId,
  value,
  choices,
  onChange,
  inline = false,
}: {
  label: string;
  testId: string;
  value: T;
  choices: readonly Choice<T>[];
  onChange: (value: T) => void;
  inline?: boolean;
}) {
  return (
    <label className={inline ? 'field inline' : 'field'}>
      <span>{label}</span>
      <select data-testid={testId} value={value} onChange={(e) => onChange(e.target.value as T)}>
        {choices.map((choice) => (
          <option key={choice.id} value={choice.id}>
            {choice.label}
          </option>
        ))}
      </select>
    </label>
  );
}
