import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FieldProblems } from '../../components/FieldProblems';
import { problemsAt } from '../../core/api/problemsAt';
import type { FilterControl } from '../../core/dashboards/filterControls';
import type { FilterValues } from '../../core/dashboards/dashboardQuery';
import { localized } from '../../core/forms/localized';

interface Props {
  controls: FilterControl[];
  applied: FilterValues;
  onApply: (filters: FilterValues) => void;
  /** error is the server's refusal of the applied filters, placed on the filter it names. */
  error: unknown;
}

/**
 * FilterBar holds the dashboard's filters — a date range from/to, the choices of a
 * select — and applies them to every widget at once.
 */
export function FilterBar({ controls, applied, onApply, error }: Props) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [draft, setDraft] = useState<FilterValues>(applied);

  const set = (id: string, patch: FilterValues[string]) => setDraft((d) => ({ ...d, [id]: { ...d[id], ...patch } }));
  const toggle = (id: string, value: string, on: boolean) => {
    const values = new Set(draft[id]?.values ?? []);
    if (on) values.add(value);
    else values.delete(value);
    set(id, { values: [...values] });
  };

  return (
    <form
      className="filter-bar card"
      aria-label={t('cockpit.filters')}
      onSubmit={(e) => {
        e.preventDefault();
        onApply(draft);
      }}
    >
      {controls.map((c) => {
        const label = localized(c.label, lang, c.id);
        if (c.kind === 'time_range') {
          return (
            <fieldset key={c.id}>
              <legend>{label}</legend>
              {(['from', 'to'] as const).map((end) => {
                const id = `filter-${c.id}-${end}`;
                const path = `/filters/${c.id}/${end}`;
                const invalid = problemsAt(error, path).length > 0;
                return (
                  <div className="field" key={end}>
                    <label htmlFor={id}>{t(`cockpit.${end}`, { label })}</label>
                    <input
                      id={id}
                      type="date"
                      value={draft[c.id]?.[end] ?? ''}
                      onChange={(e) => set(c.id, { [end]: e.target.value })}
                      aria-invalid={invalid || undefined}
                      aria-describedby={invalid ? `${id}-problems` : undefined}
                    />
                    <FieldProblems id={`${id}-problems`} error={error} path={path} />
                  </div>
                );
              })}
            </fieldset>
          );
        }
        return (
          <fieldset key={c.id} className="choices" aria-describedby={`filter-${c.id}-problems`}>
            <legend>{label}</legend>
            {c.options.map((o) => {
              const value = String(o.value);
              return (
                <label key={value} className="check">
                  <input
                    type="checkbox"
                    checked={draft[c.id]?.values?.includes(value) ?? false}
                    onChange={(e) => toggle(c.id, value, e.target.checked)}
                  />
                  {localized(o.label, lang, value)}
                </label>
              );
            })}
            <FieldProblems id={`filter-${c.id}-problems`} error={error} path={[`/filters/${c.id}`, `/filters/${c.id}/values`]} />
          </fieldset>
        );
      })}
      <div className="toolbar">
        <button type="submit" className="primary">
          {t('cockpit.apply')}
        </button>
        <button
          type="button"
          onClick={() => {
            setDraft({});
            onApply({});
          }}
        >
          {t('cockpit.clear')}
        </button>
      </div>
    </form>
  );
}
