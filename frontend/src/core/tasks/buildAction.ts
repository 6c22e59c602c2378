import type { TaskAction, TaskActionKind } from '../api/types';

/** ActionInputs are what the task panel holds when a button is pressed. */
export interface ActionInputs {
  comment: string;
  /** returnTo is the node id a return goes back to. */
  returnTo: string;
  /** user is who a reassign or delegation goes to. */
  user: string;
  /** fields are the record edits (only the changed ones) that go with a decision. */
  fields: Record<string, unknown>;
  /** version is the task's version as read, so a change by someone else is refused. */
  version: number;
}

const DECISIONS = new Set<TaskActionKind>(['approve', 'reject', 'complete']);

/**
 * buildAction is the body of one task action: each kind takes only what it accepts (a
 * target for return, reassign and delegate; field edits with a decision; the comment
 * when written), always with the version read, so the server refuses it if the task
 * changed in between.
 *
 * @example
 * buildAction('approve', { comment: '', returnTo: '', user: '', fields: { approved_limit: 150000 }, version: 3 })
 * // { kind: 'approve', version: 3, fields: { approved_limit: 150000 } }
 */
export function buildAction(kind: TaskActionKind, inputs: ActionInputs): TaskAction {
  const action: TaskAction = { kind, version: inputs.version };
  const comment = inputs.comment.trim();
  if (kind === 'return') action.to = inputs.returnTo.trim();
  if (kind === 'reassign' || kind === 'delegate') action.to = inputs.user.trim();
  if (comment && kind !== 'claim') action.comment = comment;
  if (kind === 'comment') action.comment = comment;
  if (DECISIONS.has(kind) && Object.keys(inputs.fields).length > 0) action.fields = inputs.fields;
  return action;
}
