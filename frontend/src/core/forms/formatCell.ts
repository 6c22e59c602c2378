import { formatDate } from '../format/formatDate';
import { formatMoney } from '../format/formatMoney';
import { formatNumber } from '../format/formatNumber';
import type { Column } from './columns';
import { localized } from './localized';

/** CellWords are the few words a cell needs in the reader's language. */
export interface CellWords {
  yes: string;
  no: string;
  empty: string;
  rows: (count: number) => string;
  /** decision words a decision object: its status and, when done, its grade or verdict. */
  decision: (d: { status: string; grade?: string; score?: number; verdict?: string }) => string;
}

/**
 * formatCell writes one field of a record for a list. Values come as the server sent
 * them: a masked value ("138****5678", "***") is a string and is shown unchanged, while
 * readable numbers, dates and choices are written in the reader's locale.
 */
export function formatCell(value: unknown, col: Column, locale: string, words: CellWords): string {
  if (value === null || value === undefined || value === '') return words.empty;
  const option = col.options?.find((o) => o.value === value);
  if (option) return localized(option.label, locale, String(value));
  switch (typeof value) {
    case 'string':
      return col.widget === 'date' ? formatDate(value, locale) : value;
    case 'number':
      return col.widget === 'money' ? formatMoney(value, locale) : formatNumber(value, locale);
    case 'boolean':
      return value ? words.yes : words.no;
  }
  if (Array.isArray(value)) return words.rows(value.length);
  if (typeof value === 'object') return decisionText(value as Record<string, unknown>, words);
  return String(value);
}

function decisionText(obj: Record<string, unknown>, words: CellWords): string {
  const status = obj['status'];
  if (typeof status !== 'string') return JSON.stringify(obj);
  const d: Parameters<CellWords['decision']>[0] = { status };
  if (typeof obj['grade'] === 'string') d.grade = obj['grade'];
  if (typeof obj['score'] === 'number') d.score = obj['score'];
  if (typeof obj['decision'] === 'string') d.verdict = obj['decision'];
  return words.decision(d);
}
