import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../app/ApiContext';
import { ErrorNotice } from '../../components/ErrorNotice';
import { LoadMore } from '../../components/LoadMore';
import { drill, type DrillPoint } from '../../core/api/dashboardEndpoints';
import type { FormAccess, FormRecord } from '../../core/api/types';
import type { FilterValues } from '../../core/dashboards/dashboardQuery';
import { formatDateTime } from '../../core/format/formatDateTime';
import { columnsOf } from '../../core/forms/columns';
import { usePages } from '../../hooks/usePages';
import { useSession } from '../../session/SessionContext';
import { RecordTable } from '../RecordTable';

/** DrillTarget is the figure a person clicked: the widget, the point and its label. */
export interface DrillTarget {
  widget: string;
  widgetTitle: string;
  point: DrillPoint;
  label: string;
}

const PAGE_SIZE = 20;
/** DRILL_COLUMNS keeps the drill-down list narrow; the record page has every field. */
const DRILL_COLUMNS = 6;

interface Props {
  dashboard: string;
  target: DrillTarget;
  filters: FilterValues;
  forms: Record<string, FormAccess>;
  onClose: () => void;
}

/**
 * DrillPanel lists the records behind a figure — exactly those the widget counted,
 * under the same filters, through the ordinary record list (same permissions and
 * masks) — page by page, each leading to its record. It takes the focus when it opens.
 */
export function DrillPanel({ dashboard, target, filters, forms, onClose }: Props) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const tenant = useSession().user?.tenant ?? '';
  const lang = i18n.language;
  const formRef = useRef('');
  const heading = useRef<HTMLHeadingElement>(null);
  const pointKey = JSON.stringify(target.point);

  const pages = usePages<FormRecord>(
    async (cursor) => {
      const page = await drill(api, tenant, dashboard, target.widget, target.point, { locale: lang, filters, limit: PAGE_SIZE, cursor });
      formRef.current = page.form;
      return { items: page.records, next: page.next };
    },
    [api, tenant, dashboard, target.widget, pointKey, lang, filters],
  );

  useEffect(() => heading.current?.focus(), [target]);

  const form = formRef.current || pages.items[0]?.form || '';
  const columns = useMemo(() => (forms[form] ? columnsOf(forms[form]).slice(0, DRILL_COLUMNS) : []), [forms, form]);

  return (
    <section className="drill card" aria-labelledby="drill-title">
      <div className="drill-head">
        <h2 id="drill-title" ref={heading} tabIndex={-1}>
          {t('cockpit.drillTitle', { widget: target.widgetTitle, point: target.label })}
        </h2>
        <button type="button" onClick={onClose}>
          {t('cockpit.closeDrill')}
        </button>
      </div>
      {pages.error ? <ErrorNotice error={pages.error} /> : null}
      {pages.items.length > 0 ? (
        <RecordTable
          columns={columns}
          records={pages.items}
          locale={lang}
          createdHeader={t('records.created')}
          formatCreated={(iso) => formatDateTime(iso, lang)}
          recordHref={(r) => `/forms/${encodeURIComponent(r.form)}/records/${encodeURIComponent(r.id)}`}
          caption={t('cockpit.drillTitle', { widget: target.widgetTitle, point: target.label })}
        />
      ) : null}
      {!pages.loading && !pages.error && pages.items.length === 0 ? <p>{t('records.empty')}</p> : null}
      <LoadMore pages={pages} />
    </section>
  );
}
