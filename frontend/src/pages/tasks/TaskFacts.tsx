import { useTranslation } from 'react-i18next';
import type { Task } from '../../core/api/types';
import { formatDateTime } from '../../core/format/formatDateTime';
import { formatRelative } from '../../core/format/formatRelative';
import { actorLabel } from '../../core/tasks/actorLabel';
import { isOverdue } from '../../core/tasks/isOverdue';
import { useSession } from '../../session/SessionContext';

/** TaskFacts lists what there is to know about a task before acting, and its comments. */
export function TaskFacts({ task }: { task: Task }) {
  const { t, i18n } = useTranslation();
  const me = useSession().user?.id ?? '';
  const lang = i18n.language;
  const now = new Date();
  const late = isOverdue(task, now);
  const actors = { you: t('actor.you'), system: t('actor.system'), flow: t('actor.flow') };
  return (
    <>
      <dl className="facts">
        <dt>{t('tasks.statusFilter')}</dt>
        <dd>
          {t(`tasks.status.${task.status}`)}
          {task.outcome ? ` · ${t('tasks.outcome', { outcome: task.outcome })}` : null}
          {task.escalated ? <span className="badge badge-overdue">{t('tasks.escalated')}</span> : null}
        </dd>
        <dt>{t('tasks.due')}</dt>
        <dd className={late ? 'overdue' : undefined}>
          {task.due_at ? (
            <>
              <time dateTime={task.due_at}>{formatDateTime(task.due_at, lang)}</time> ({formatRelative(task.due_at, now, lang)})
              {late ? <span className="badge badge-overdue">{t('tasks.overdue')}</span> : null}
            </>
          ) : (
            t('tasks.noDue')
          )}
        </dd>
        <dt>{t('tasks.offeredTo')}</dt>
        <dd>{task.candidates.map((c) => actorLabel(c, me, actors, task.people)).join(', ')}</dd>
        <dt>{t('tasks.heldBy')}</dt>
        <dd>{task.assignee ? actorLabel(task.assignee, me, actors, task.people) : t('tasks.nobody')}</dd>
        <dt>{t('tasks.opened')}</dt>
        <dd>
          {formatDateTime(task.created_at, lang)}
          {task.source ? ` · ${t('tasks.source', { source: task.source })}` : null}
        </dd>
      </dl>
      {task.comments && task.comments.length > 0 ? (
        <>
          <h3>{t('tasks.comments')}</h3>
          <ul className="comments">
            {task.comments.map((c, i) => (
              <li key={i}>
                <span className="meta">
                  {actorLabel(c.by, me, actors, task.people)} · {formatDateTime(c.at, lang)}
                </span>
                <p>{c.text}</p>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}
