import type { Conflict } from './findConflicts';

/** Choice is what the person keeps of one conflict: their value or the stored one. */
export type Choice = 'mine' | 'theirs';

/**
 * defaultChoice keeps what the person changed, and takes the stored value otherwise.
 *
 * @example
 * defaultChoice({ name: 'email', changedByMe: false, … }) // "theirs"
 */
export function defaultChoice(c: Conflict): Choice {
  return c.changedByMe ? 'mine' : 'theirs';
}
