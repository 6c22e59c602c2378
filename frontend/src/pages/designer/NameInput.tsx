import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldProblem } from '../../core/api/apiError';
import { nameProblem } from '../../core/designer/nameProblem';
import { DesignerProblems } from './DesignerProblems';

/**
 * NameInput edits the key of a field, column or section. A key that is not a valid name
 * or that a sibling already has is not applied — two fields cannot share a key, and the
 * format would lose one — and the input says why until it is fixed.
 *
 * @example
 * <NameInput id="prop-n3-key" name={node.name} taken={siblings} onRename={(n) => edit({ kind: 'renameField', field: node.id, name: n })} />
 */
export function NameInput({
  id,
  label,
  name,
  taken,
  takenText,
  onRename,
  problems,
}: {
  id: string;
  label: string;
  name: string;
  taken: readonly string[];
  takenText: string;
  onRename: (name: string) => void;
  problems?: readonly FieldProblem[] | undefined;
}) {
  const { t } = useTranslation();
  const [typed, setTyped] = useState<string | null>(null);
  const value = typed ?? name;
  const local = typed === null ? null : nameProblem(typed, taken.filter((n) => n !== name));
  const invalid = local !== null || (problems?.length ?? 0) > 0;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        className="code"
        spellCheck={false}
        autoComplete="off"
        value={value}
        aria-invalid={invalid || undefined}
        aria-describedby={invalid ? `${id}-problems` : undefined}
        onChange={(e) => {
          const next = e.target.value;
          setTyped(next);
          if (nameProblem(next, taken.filter((n) => n !== name)) === null) onRename(next);
        }}
        onBlur={() => {
          if (local === null) setTyped(null);
        }}
      />
      {local ? (
        <ul id={`${id}-problems`} className="field-problems">
          <li>{local === 'taken' ? takenText : t('designer.name.pattern')}</li>
        </ul>
      ) : (
        <DesignerProblems id={`${id}-problems`} problems={problems} />
      )}
    </div>
  );
}
