import { useTranslation } from 'react-i18next';
import { useParams, useSearchParams } from 'react-router';
import { useApi } from '../../app/ApiContext';
import { useTaskCounts } from '../../app/TaskCountsContext';
import { ErrorNotice } from '../../components/ErrorNotice';
import { LoadMore } from '../../components/LoadMore';
import { listTasks } from '../../core/api/taskEndpoints';
import { mayUse } from '../../core/can/mayUse';
import type { TaskScope, TaskStatusFilter } from '../../core/api/types';
import { usePages } from '../../hooks/usePages';
import { useSession } from '../../session/SessionContext';
import { ScopeTabs } from './ScopeTabs';
import { TaskList } from './TaskList';
import { TaskPanel } from './TaskPanel';

const PAGE_SIZE = 25;
const STATUSES: readonly TaskStatusFilter[] = ['open', 'completed', 'any'];

/**
 * TasksPage is the task inbox: the person's tasks, their team's, or every task for
 * those who may see all; filtered by status and lateness (kept in the URL, so a reload
 * or a shared link shows the same list); the chosen task opens in a panel beside it.
 */
export function TasksPage() {
  const { t } = useTranslation();
  const api = useApi();
  const { user } = useSession();
  const tenant = user?.tenant ?? '';
  const { refresh: refreshCounts } = useTaskCounts();
  const taskId = useParams().task;
  const [search, setSearch] = useSearchParams();
  const scope = asScope(search.get('scope'));
  const status = STATUSES.find((s) => s === search.get('status')) ?? 'open';
  const overdue = search.get('overdue') === 'true';

  // "All" is for those who may see every task.
  const allowAll = mayUse(user, 'allTasks');

  const pages = usePages(
    async (cursor) => {
      const page = await listTasks(api, tenant, { scope, status, overdue, limit: PAGE_SIZE, cursor });
      // Each task keeps the names its page came with, for the list's "held by".
      return { items: page.tasks.map((task) => ({ ...task, people: { ...page.people, ...task.people } })), next: page.next };
    },
    [api, tenant, scope, status, overdue],
  );

  const setParam = (key: string, value: string | null) => {
    const next = new URLSearchParams(search);
    if (value === null) next.delete(key);
    else next.set(key, value);
    setSearch(next);
  };

  const onChanged = () => {
    pages.reload();
    refreshCounts();
  };

  return (
    <section className="tasks-page">
      <h1>{t('tasks.title')}</h1>
      <div className="toolbar tasks-toolbar">
        <ScopeTabs scope={scope} allowAll={allowAll} onChange={(s) => setParam('scope', s === 'mine' ? null : s)} />
        <label className="inline">
          {t('tasks.statusFilter')}{' '}
          <select value={status} onChange={(e) => setParam('status', e.target.value === 'open' ? null : e.target.value)}>
            <option value="open">{t('tasks.status.open')}</option>
            <option value="completed">{t('tasks.status.completed')}</option>
            <option value="any">{t('tasks.statusAny')}</option>
          </select>
        </label>
        <label className="check inline">
          <input type="checkbox" checked={overdue} onChange={(e) => setParam('overdue', e.target.checked ? 'true' : null)} />
          {t('tasks.overdueOnly')}
        </label>
      </div>
      <div className={taskId ? 'split' : undefined}>
        <div id="task-list" role="tabpanel" aria-label={t(`tasks.scope.${scope}`)}>
          {pages.error ? <ErrorNotice error={pages.error} /> : null}
          {pages.items.length > 0 ? <TaskList tasks={pages.items} selected={taskId} search={search.toString()} /> : null}
          {!pages.loading && !pages.error && pages.items.length === 0 ? <p>{t('tasks.empty')}</p> : null}
          <LoadMore pages={pages} />
        </div>
        {taskId ? <TaskPanel key={taskId} taskId={taskId} onChanged={onChanged} /> : null}
      </div>
    </section>
  );
}

function asScope(s: string | null): TaskScope {
  return s === 'team' || s === 'all' ? s : 'mine';
}
