import { useTranslation } from 'react-i18next';
import { FieldInput } from '../../components/FieldInput';
import { FieldProblems, ProblemList } from '../../components/FieldProblems';
import { TextField } from '../../components/TextField';
import { ApiError } from '../../core/api/apiError';
import type { Task, TaskActionKind } from '../../core/api/types';
import type { Column } from '../../core/forms/columns';
import type { InputValue } from '../../core/forms/inputValue';
import { taskActions } from '../../core/tasks/taskActions';

interface Props {
  task: Task;
  me: string;
  editable: Column[];
  inputs: Record<string, InputValue>;
  onInput: (name: string, value: InputValue) => void;
  comment: string;
  onComment: (v: string) => void;
  returnTo: string;
  onReturnTo: (v: string) => void;
  toUser: string;
  onToUser: (v: string) => void;
  busy: boolean;
  onAct: (kind: TaskActionKind) => void;
  /** error is the last action's failure; lastKind says which action, to place "/to" on its input. */
  error: unknown;
  lastKind: TaskActionKind | undefined;
}

/** fieldPaths are the pointers a field's problems come at: the action's and the record's. */
const fieldPaths = (name: string) => [`/fields/${name}`, `/${name}`];

/**
 * TaskActionsForm offers the actions the task allows, with the inputs they take: the
 * node's editable fields and a comment for a decision, a step to return to, a user to
 * hand on to. Each problem the server names is shown on its input; any other under the
 * buttons.
 */
export function TaskActionsForm(p: Props) {
  const { t } = useTranslation();
  const offered = new Set(taskActions(p.task, p.me));
  const toPath = '/to';
  const returnError = p.lastKind === 'return' ? p.error : undefined;
  const handOnError = p.lastKind === 'reassign' || p.lastKind === 'delegate' ? p.error : undefined;

  const placed = new Set(['/comment', toPath, ...p.editable.flatMap((c) => fieldPaths(c.name))]);
  const unplaced = p.error instanceof ApiError ? p.error.fields.filter((f) => !placed.has(f.path)) : [];

  const button = (kind: TaskActionKind, primary = false) =>
    offered.has(kind) ? (
      <button type="button" className={primary ? 'primary' : undefined} disabled={p.busy} onClick={() => p.onAct(kind)}>
        {t(`tasks.action.${kind}`)}
      </button>
    ) : null;

  return (
    <form className="task-actions" onSubmit={(e) => e.preventDefault()}>
      {p.editable.length > 0 ? (
        <fieldset>
          <legend>{t('tasks.editable')}</legend>
          {p.editable.map((c) => (
            <FieldInput
              key={c.name}
              id={`task-field-${c.name}`}
              column={c}
              value={p.inputs[c.name] ?? ''}
              onChange={(v) => p.onInput(c.name, v)}
              error={p.error}
              paths={fieldPaths(c.name)}
            />
          ))}
        </fieldset>
      ) : null}
      <div className="field">
        <label htmlFor="task-comment">{t('tasks.comment')}</label>
        <textarea
          id="task-comment"
          value={p.comment}
          onChange={(e) => p.onComment(e.target.value)}
          aria-describedby="task-comment-hint task-comment-problems"
        />
        <small id="task-comment-hint" className="hint">
          {t('tasks.commentHint')}
        </small>
        <FieldProblems id="task-comment-problems" error={p.error} path="/comment" />
      </div>
      <div className="toolbar" role="group" aria-label={t('tasks.decide')}>
        {button('claim')}
        {button('approve', true)}
        {button('reject')}
        {button('complete', true)}
        {button('comment')}
      </div>
      {unplaced.length > 0 ? <ProblemList problems={unplaced} /> : null}
      {offered.has('return') ? (
        <fieldset>
          <legend>{t('tasks.action.return')}</legend>
          <TextField
            id="task-return-to"
            label={t('tasks.returnTo')}
            hint={t('tasks.returnHint')}
            value={p.returnTo}
            onChange={p.onReturnTo}
            error={returnError}
            path={toPath}
          />
          {button('return')}
        </fieldset>
      ) : null}
      <fieldset>
        <legend>{t('tasks.handOn')}</legend>
        <TextField id="task-to-user" label={t('tasks.user')} hint={t('tasks.userHint')} value={p.toUser} onChange={p.onToUser} error={handOnError} path={toPath} />
        <div className="toolbar">
          {button('reassign')}
          {button('delegate')}
        </div>
      </fieldset>
    </form>
  );
}
