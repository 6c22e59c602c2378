import { useTranslation } from 'react-i18next';
import type { WidgetData } from '../../core/api/types';
import { formatFigure } from '../../core/format/formatFigure';
import type { DrillTarget } from './DrillPanel';

/**
 * WidgetTable is a widget's figures as a table — a row per category, a column per
 * series — for those who cannot or would rather not read the chart. With onDrill, each
 * row's label opens the records behind it (counted by the widget's first series).
 */
export function WidgetTable({ data, onDrill }: { data: WidgetData; onDrill?: (target: DrillTarget) => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const first = data.series[0];
  const dimension = data.dimensions.length > 0 ? data.dimensions.join(' / ') : data.title;
  return (
    <div className="table-wrap">
      <table className="widget-data">
        <caption className="visually-hidden">{t('cockpit.data', { title: data.title })}</caption>
        <thead>
          <tr>
            <th scope="col">{dimension}</th>
            {data.series.map((s) => (
              <th key={s.id} scope="col" className="num">
                {s.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {data.categories.map((c, i) => {
            const label = c.label || t('cockpit.total');
            return (
              <tr key={JSON.stringify(c.key)}>
                <th scope="row">
                  {first && onDrill ? (
                    <button
                      type="button"
                      className="link"
                      aria-label={t('cockpit.drillRow', { label })}
                      onClick={() => onDrill({ widget: data.id, widgetTitle: data.title, point: { category: c.key, series: first.id }, label })}
                    >
                      {label}
                    </button>
                  ) : (
                    label
                  )}
                </th>
                {data.series.map((s) => (
                  <td key={s.id} className="num">
                    {formatFigure(s.values[i], s.format, lang, '—')}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
