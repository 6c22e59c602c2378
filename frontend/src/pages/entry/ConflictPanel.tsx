import { useTranslation } from 'react-i18next';
import { defaultChoice, type Choice } from '../../core/entry/defaultChoice';
import type { Conflict } from '../../core/entry/findConflicts';
import type { EntryForm } from '../../core/entry/types';
import { formatCell } from '../../core/forms/formatCell';
import { localized } from '../../core/forms/localized';
import { useCellWords } from '../../hooks/useCellWords';

interface Props {
  form: EntryForm;
  version: number;
  conflicts: Conflict[];
  choices: Record<string, Choice>;
  onChoose: (name: string, choice: Choice) => void;
  onApply: () => void;
  onDiscard: () => void;
}

/**
 * ConflictPanel explains a version conflict: per field someone else changed, their
 * stored value beside the person's, and a choice to keep one or the other; applying
 * the choices puts them in the form, to be saved on top of the stored version.
 */
export function ConflictPanel({ form, version, conflicts, choices, onChoose, onApply, onDiscard }: Props) {
  const { t, i18n } = useTranslation();
  const words = useCellWords();
  const lang = i18n.language;
  const byName = new Map(form.fields.map((f) => [f.name, f]));
  return (
    <section className="entry-conflict card" role="region" aria-labelledby="entry-conflict-title">
      <h2 id="entry-conflict-title">{t('entry.conflict.title')}</h2>
      <p>{conflicts.length > 0 ? t('entry.conflict.intro', { version }) : t('entry.conflict.none', { version })}</p>
      {conflicts.length > 0 ? (
        <div className="table-wrap">
          <table aria-labelledby="entry-conflict-title">
            <thead>
              <tr>
                <th scope="col">{t('entry.conflict.field')}</th>
                <th scope="col">{t('entry.conflict.theirs', { version })}</th>
                <th scope="col">{t('entry.conflict.mine')}</th>
                <th scope="col">{t('entry.conflict.choice')}</th>
              </tr>
            </thead>
            <tbody>
              {conflicts.map((c) => {
                const f = byName.get(c.name);
                const label = f ? localized(f.label, lang, c.name) : c.name;
                const choice = choices[c.name] ?? defaultChoice(c);
                const show = (v: unknown) => (f ? formatCell(v, f, lang, words) : JSON.stringify(v));
                return (
                  <tr key={c.name}>
                    <th scope="row">{label}</th>
                    <td className="wrap">{show(c.theirs)}</td>
                    <td className="wrap">
                      {show(c.mine)}
                      {c.changedByMe ? <span className="meta"> · {t('entry.conflict.changedByMe')}</span> : null}
                    </td>
                    <td>
                      <fieldset className="entry-choice">
                        <legend className="visually-hidden">{label}</legend>
                        <label className="check">
                          <input type="radio" name={`conflict-${c.name}`} checked={choice === 'mine'} onChange={() => onChoose(c.name, 'mine')} />
                          {t('entry.conflict.keepMine')}
                        </label>
                        <label className="check">
                          <input type="radio" name={`conflict-${c.name}`} checked={choice === 'theirs'} onChange={() => onChoose(c.name, 'theirs')} />
                          {t('entry.conflict.takeTheirs')}
                        </label>
                      </fieldset>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      <p className="toolbar">
        <button type="button" className="primary" onClick={onApply}>
          {t('entry.conflict.apply')}
        </button>
        <button type="button" onClick={onDiscard}>
          {t('entry.conflict.cancel')}
        </button>
      </p>
    </section>
  );
}
