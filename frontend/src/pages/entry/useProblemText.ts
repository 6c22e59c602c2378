import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldProblem } from '../../core/api/apiError';
import type { EntryField } from '../../core/entry/types';
import { formatNumber } from '../../core/format/formatNumber';

const LIMITED = ['minLength', 'maxLength', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minItems', 'maxItems'] as const;
const PATTERNED = ['id_number', 'phone', 'bank_card', 'email', 'region'] as const;
const EXPECTED = ['number', 'integer', 'string', 'boolean', 'array', 'object'] as const;

/**
 * useProblemText returns how to say a record problem — found in the browser or by the
 * server, both located by JSON pointer with the JSON Schema keyword as code — in the
 * person's language, worded for the field's widget (a phone number, an ID number).
 *
 * @example
 * const say = useProblemText();
 * say({ path: '/mobile_phone', code: 'pattern', message: '…' }, phoneField) // "Not a valid phone number."
 */
export function useProblemText(): (p: FieldProblem, field?: EntryField) => string {
  const { t, i18n } = useTranslation();
  return useCallback(
    (p: FieldProblem, field?: EntryField) => {
      const params = p.params ?? {};
      const limit = params['limit'];
      const num = (v: unknown) => (typeof v === 'number' ? formatNumber(v, i18n.language) : String(v));
      switch (p.code) {
        case 'required':
          return t('entry.problems.required');
        case 'type': {
          const type = field?.schema?.['type'];
          const known = EXPECTED.find((e) => e === type);
          return known ? t('entry.problems.type', { expected: t(`entry.problems.expected.${known}`) }) : t('entry.problems.typeAny');
        }
        case 'pattern': {
          const w = PATTERNED.find((x) => x === field?.widget);
          return w ? t(`entry.problems.patternOf.${w}`) : t('entry.problems.pattern');
        }
        case 'format': {
          const f = params['format'];
          if (f === 'date' || f === 'email') return t(`entry.problems.formatOf.${f}`);
          return t('entry.problems.format', { format: String(f ?? '') });
        }
        case 'multipleOf': {
          if (typeof limit === 'number' && limit > 0 && limit < 1) {
            const places = Math.round(-Math.log10(limit));
            if (Math.abs(10 ** -places - limit) < 1e-12) return t('entry.problems.decimals', { count: places });
          }
          return t('entry.problems.multipleOf', { limit: num(limit) });
        }
        case 'const':
          return params['value'] === true ? t('entry.problems.accepted') : t('entry.problems.const', { value: JSON.stringify(params['value']) });
        case 'enum':
        case 'uniqueItems':
        case 'additionalProperties':
        case 'forbidden':
        case 'remove_rows_forbidden':
        case 'read_only':
        case 'unknown_field':
        case 'attachment_not_found':
        case 'attachment_wrong_field':
        case 'attachment_in_use':
        case 'attachment_import':
          return t(`entry.problems.${p.code}`);
        case 'computed':
          return t('entry.problems.computed', { message: p.message });
      }
      const limited = LIMITED.find((k) => k === p.code);
      if (limited && limit !== undefined) return t(`entry.problems.${limited}`, { limit: num(limit) });
      return t('entry.problems.other', { message: p.message });
    },
    [t, i18n.language],
  );
}
