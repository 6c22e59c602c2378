import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useApi } from '../../app/ApiContext';
import { ErrorNotice } from '../../components/ErrorNotice';
import { ApiError } from '../../core/api/apiError';
import { getFormAccess, getRecord } from '../../core/api/endpoints';
import { actOnTask, getTask } from '../../core/api/taskEndpoints';
import type { Task, TaskActionKind } from '../../core/api/types';
import { columnOf, type Column } from '../../core/forms/columns';
import { toInputValue, type InputValue } from '../../core/forms/inputValue';
import { localized } from '../../core/forms/localized';
import { buildAction } from '../../core/tasks/buildAction';
import { changedFields } from '../../core/tasks/changedFields';
import { useLoad } from '../../hooks/useLoad';
import { useSession } from '../../session/SessionContext';
import { TaskActionsForm } from './TaskActionsForm';
import { TaskFacts } from './TaskFacts';

/** Outcome is what the last action did: a success to confirm, or the error to explain. */
type Outcome = { kind: TaskActionKind; task: Task } | { kind: TaskActionKind; error: unknown; reloaded: boolean };

/**
 * TaskPanel shows one task and lets its holder act: claim, decide (with the node's
 * editable fields), return, hand on, comment. The server's problems land on the field
 * they name; a task closed or changed by someone else in the meantime is explained in
 * words and read again.
 */
export function TaskPanel({ taskId, onChanged }: { taskId: string; onChanged: () => void }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const { user } = useSession();
  const tenant = user?.tenant ?? '';
  const loaded = useLoad(() => getTask(api, tenant, taskId), [api, tenant, taskId]);
  const [task, setTask] = useState<Task>();
  useEffect(() => setTask(loaded.data), [loaded.data]);

  const form = task?.form ?? '';
  const recordId = task?.record_id ?? '';
  const access = useLoad(() => (form ? getFormAccess(api, tenant, form) : Promise.resolve(undefined)), [api, tenant, form]);
  const record = useLoad(
    () => (form && recordId ? getRecord(api, tenant, form, recordId) : Promise.resolve(undefined)),
    [api, tenant, form, recordId],
  );

  // The node's editable fields the person may write, as their access labels them.
  const editable: Column[] = useMemo(() => {
    const names = new Set(task?.editable ?? []);
    return (access.data?.fields ?? []).filter((f) => names.has(f.name) && f.write).map(columnOf);
  }, [task?.editable, access.data]);

  const [inputs, setInputs] = useState<Record<string, InputValue>>({});
  useEffect(() => {
    const data = record.data?.data ?? {};
    setInputs(Object.fromEntries(editable.map((c) => [c.name, toInputValue(data[c.name], c)])));
  }, [editable, record.data]);

  const [comment, setComment] = useState('');
  const [returnTo, setReturnTo] = useState('');
  const [toUser, setToUser] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>();

  if (loaded.error) {
    return (
      <aside className="task-panel card">
        <ErrorNotice error={loaded.error} />
      </aside>
    );
  }
  if (!task) {
    return (
      <aside className="task-panel card">
        <p className="loading">{t('app.loading')}</p>
      </aside>
    );
  }

  const act = async (kind: TaskActionKind) => {
    setBusy(true);
    setOutcome(undefined);
    const fields = changedFields(editable, inputs, record.data?.data ?? {});
    try {
      const after = await actOnTask(api, tenant, task.id, buildAction(kind, { comment, returnTo, user: toUser, fields, version: task.version }));
      setTask(after);
      setOutcome({ kind, task: after });
      setComment('');
      record.reload();
      onChanged();
    } catch (error) {
      // Closed or changed by someone else meanwhile: read it again so the person sees why.
      const conflict = error instanceof ApiError && error.status === 409;
      if (conflict) {
        loaded.reload();
        onChanged();
      }
      setOutcome({ kind, error, reloaded: conflict });
    } finally {
      setBusy(false);
    }
  };

  const error = outcome && 'error' in outcome ? outcome.error : undefined;
  const title = localized(task.name, i18n.language, task.node || task.id);

  return (
    <aside className="task-panel card" aria-labelledby="task-title">
      <h2 id="task-title">{title}</h2>
      <p>
        <Link to={`/forms/${encodeURIComponent(task.form)}/records/${encodeURIComponent(task.record_id)}`}>{t('tasks.openRecord')}</Link>
      </p>
      <TaskFacts task={task} />
      {outcome && 'task' in outcome ? (
        <p role="status" className="notice notice-ok">
          {t(`tasks.done.${outcome.kind}`, { to: outcome.kind === 'return' ? returnTo : toUser })}
        </p>
      ) : null}
      {error ? <ErrorNotice error={error} /> : null}
      {outcome && 'error' in outcome && outcome.reloaded ? <p className="notice">{t('tasks.reloaded')}</p> : null}
      {task.status === 'open' ? (
        <TaskActionsForm
          task={task}
          me={user?.id ?? ''}
          editable={editable}
          inputs={inputs}
          onInput={(name, v) => setInputs((xs) => ({ ...xs, [name]: v }))}
          comment={comment}
          onComment={setComment}
          returnTo={returnTo}
          onReturnTo={setReturnTo}
          toUser={toUser}
          onToUser={setToUser}
          busy={busy}
          onAct={(kind) => void act(kind)}
          error={error}
          lastKind={outcome?.kind}
        />
      ) : (
        <p className="notice">{t('tasks.closed')}</p>
      )}
    </aside>
  );
}
