import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { CellWords } from '../core/forms/formatCell';

/**
 * useCellWords returns the words record cells need in the current language.
 *
 * @example
 * const words = useCellWords();
 * formatCell(value, column, i18n.language, words);
 */
export function useCellWords(): CellWords {
  const { t, i18n } = useTranslation();
  return useMemo(
    () => ({
      yes: t('records.yes'),
      no: t('records.no'),
      empty: '—',
      rows: (count) => t('records.rows', { count }),
      decision: (d) => {
        if (d.status !== 'done') return t('records.decisionPending');
        if (d.grade) return t('records.grade', { grade: d.grade }) + (d.score !== undefined ? ` · ${d.score}` : '');
        if (d.verdict === 'pass' || d.verdict === 'review' || d.verdict === 'reject') return t(`records.verdict.${d.verdict}`);
        return t('records.decisionDone');
      },
    }),
    // The words change with the language even where t keeps its identity.
    [t, i18n.language],
  );
}
