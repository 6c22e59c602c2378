import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Task } from '../../core/api/types';
import { formatDateTime } from '../../core/format/formatDateTime';
import { formatRelative } from '../../core/format/formatRelative';
import { localized } from '../../core/forms/localized';
import { actorLabel } from '../../core/tasks/actorLabel';
import { isOverdue } from '../../core/tasks/isOverdue';
import { useSession } from '../../session/SessionContext';

/**
 * TaskList is the inbox's table: each task by its node's name (leading to the task), its
 * record, its due time — an overdue one marked in words and colour — its status and who
 * holds it.
 */
export function TaskList({ tasks, selected, search }: { tasks: Task[]; selected: string | undefined; search: string }) {
  const { t, i18n } = useTranslation();
  const me = useSession().user?.id ?? '';
  const lang = i18n.language;
  const now = new Date();
  const actors = { you: t('actor.you'), system: t('actor.system'), flow: t('actor.flow') };
  const query = search ? `?${search}` : '';
  return (
    <div className="table-wrap">
      <table className="task-list">
        <caption className="visually-hidden">{t('tasks.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('tasks.task')}</th>
            <th scope="col">{t('tasks.record')}</th>
            <th scope="col">{t('tasks.due')}</th>
            <th scope="col">{t('tasks.statusFilter')}</th>
            <th scope="col">{t('tasks.heldBy')}</th>
          </tr>
        </thead>
        <tbody>
          {tasks.map((task) => {
            const late = isOverdue(task, now);
            return (
              <tr key={task.id} className={[late ? 'overdue' : '', task.id === selected ? 'selected' : ''].join(' ').trim() || undefined}>
                <th scope="row">
                  <Link to={`/tasks/${encodeURIComponent(task.id)}${query}`} aria-current={task.id === selected ? 'true' : undefined}>
                    {localized(task.name, lang, task.node || task.id)}
                  </Link>
                </th>
                <td>
                  <Link to={`/forms/${encodeURIComponent(task.form)}/records/${encodeURIComponent(task.record_id)}`}>
                    <code>{task.record_id}</code>
                  </Link>
                </td>
                <td>
                  {task.due_at ? (
                    <>
                      <time dateTime={task.due_at}>{formatDateTime(task.due_at, lang)}</time>{' '}
                      <span className="meta">({formatRelative(task.due_at, now, lang)})</span>
                      {late ? <span className="badge badge-overdue">{t('tasks.overdue')}</span> : null}
                    </>
                  ) : (
                    <span className="meta">{t('tasks.noDue')}</span>
                  )}
                </td>
                <td>{t(`tasks.status.${task.status}`)}</td>
                <td>{task.assignee ? actorLabel(task.assignee, me, actors, task.people) : <span className="meta">{t('tasks.nobody')}</span>}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
