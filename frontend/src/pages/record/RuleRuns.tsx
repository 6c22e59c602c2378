import { useTranslation } from 'react-i18next';
import type { RuleRun } from '../../core/api/types';
import { formatDateTime } from '../../core/format/formatDateTime';

/**
 * RuleRuns lists the rules that fired on a record with what produced each decision:
 * the rule set version and a hash of the inputs the rule read, so it can be replayed.
 */
export function RuleRuns({ runs }: { runs: RuleRun[] }) {
  const { t, i18n } = useTranslation();
  if (runs.length === 0) return <p>{t('record.noRules')}</p>;
  return (
    <div className="table-wrap">
      <table>
        <caption className="visually-hidden">{t('record.rules')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('record.rule')}</th>
            <th scope="col">{t('record.ruleActions')}</th>
            <th scope="col">{t('record.ruleVersion')}</th>
            <th scope="col">{t('record.when')}</th>
            <th scope="col">{t('record.inputs')}</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.id}>
              <td>
                <code>{r.rule}</code>
              </td>
              <td className="wrap">
                {(r.actions ?? []).map((a) => (a.detail ? `${a.type}: ${a.detail}` : a.type)).join('; ')}
                {r.error ? <span className="problem"> {t('record.ruleError', { error: r.error })}</span> : null}
              </td>
              <td className="num">{r.rule_set_version}</td>
              <td>{formatDateTime(r.at, i18n.language)}</td>
              <td>
                <code title={r.input_hash}>{r.input_hash.slice(0, 12)}…</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
