import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Task } from '../../core/api/types';
import { formatDateTime } from '../../core/format/formatDateTime';
import { localized } from '../../core/forms/localized';
import { isOverdue } from '../../core/tasks/isOverdue';

/** RecordTasks lists a record's open tasks, each leading to it in the inbox. */
export function RecordTasks({ tasks }: { tasks: Task[] }) {
  const { t, i18n } = useTranslation();
  const open = tasks.filter((x) => x.status === 'open');
  const now = new Date();
  if (open.length === 0) return <p>{t('record.noTasks')}</p>;
  return (
    <ul className="task-links">
      {open.map((task) => {
        const late = isOverdue(task, now);
        return (
          <li key={task.id} className={late ? 'overdue' : undefined}>
            <Link to={`/tasks/${encodeURIComponent(task.id)}`}>{localized(task.name, i18n.language, task.node)}</Link>
            {task.due_at ? (
              <span className="meta">
                {' '}
                · {t('tasks.due')} {formatDateTime(task.due_at, i18n.language)}
              </span>
            ) : null}
            {late ? <span className="badge badge-overdue">{t('tasks.overdue')}</span> : null}
          </li>
        );
      })}
    </ul>
  );
}
