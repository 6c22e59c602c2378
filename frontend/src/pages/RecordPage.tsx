import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router';
import { useApi } from '../app/ApiContext';
import { ErrorNotice } from '../components/ErrorNotice';
import { getFormAccess, getRecord, recordFlows, ruleRuns } from '../core/api/endpoints';
import { formatDateTime } from '../core/format/formatDateTime';
import { columnsOf } from '../core/forms/columns';
import { localized } from '../core/forms/localized';
import { recordTasks } from '../core/tasks/recordTasks';
import { useLoad } from '../hooks/useLoad';
import { useSession } from '../session/SessionContext';
import { FlowHistory } from './record/FlowHistory';
import { RecordFields } from './record/RecordFields';
import { RecordTasks } from './record/RecordTasks';
import { RuleRuns } from './record/RuleRuns';

/**
 * RecordPage shows one record as the person may see it: its fields (labelled, masked
 * values as the server masked them), what its flows did step by step, the rules that
 * fired on it, and its open tasks.
 */
export function RecordPage() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const tenant = useSession().user?.tenant ?? '';
  const params = useParams();
  const form = params.form ?? '';
  const id = params.id ?? '';
  const lang = i18n.language;

  const access = useLoad(() => getFormAccess(api, tenant, form), [api, tenant, form]);
  const record = useLoad(() => getRecord(api, tenant, form, id), [api, tenant, form, id]);
  const flows = useLoad(() => recordFlows(api, tenant, form, id), [api, tenant, form, id]);
  const runs = useLoad(() => ruleRuns(api, tenant, form, id), [api, tenant, form, id]);
  const tasks = useLoad(() => recordTasks(api, tenant, id), [api, tenant, id]);
  const title = localized(access.data?.title, lang, form);
  // The entry page leads here after saving, with what it did.
  const notice = (useLocation().state as { notice?: unknown } | null)?.notice;

  return (
    <section className="record-page">
      <p className="crumbs">
        <Link to={`/forms/${encodeURIComponent(form)}/records`}>{t('record.back', { form: title })}</Link>
      </p>
      <h1>{t('record.title', { form: title })}</h1>
      {typeof notice === 'string' ? (
        <p className="notice notice-ok" role="status">
          {notice}
        </p>
      ) : null}
      {record.data ? (
        <p className="meta">
          <code>{record.data.id}</code> ·{' '}
          {t('record.version', { version: record.data.version, date: formatDateTime(record.data.updated_at, lang) })}
          {access.data?.update ? (
            <>
              {' · '}
              <Link to={`/forms/${encodeURIComponent(form)}/records/${encodeURIComponent(id)}/edit`}>{t('entry.edit')}</Link>
            </>
          ) : null}
        </p>
      ) : null}
      {access.error || record.error ? <ErrorNotice error={access.error ?? record.error} /> : null}
      {record.loading && !record.data ? <p className="loading">{t('app.loading')}</p> : null}

      <h2>{t('record.fields')}</h2>
      {access.data && record.data ? <RecordFields columns={columnsOf(access.data)} data={record.data.data} /> : null}

      <h2>{t('record.tasks')}</h2>
      {tasks.error ? <ErrorNotice error={tasks.error} /> : null}
      {tasks.data ? <RecordTasks tasks={tasks.data} /> : null}

      <h2>{t('record.flows')}</h2>
      {flows.error ? <ErrorNotice error={flows.error} /> : null}
      {flows.data ? <FlowHistory flows={flows.data} tasks={tasks.data ?? []} /> : null}

      <h2>{t('record.rules')}</h2>
      {runs.error ? <ErrorNotice error={runs.error} /> : null}
      {runs.data ? <RuleRuns runs={runs.data} /> : null}
    </section>
  );
}
