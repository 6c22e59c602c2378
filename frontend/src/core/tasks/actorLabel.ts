/** ActorWords are the words for the actors that are not a user id. */
export interface ActorWords {
  you: string;
  system: string;
  flow: string;
}

/** SYSTEM_ACTOR is who the server names for an automatic decision (an SLA's, a demo's). */
export const SYSTEM_ACTOR = 'system';

/**
 * actorLabel names who did something in a task or flow history: the reader themselves,
 * the system, the flow (no actor), or the user id the server gave.
 *
 * @example
 * actorLabel('u-1', 'u-1', words) // "you"
 */
export function actorLabel(actor: string | undefined, me: string, words: ActorWords): string {
  if (!actor) return words.flow;
  if (actor === SYSTEM_ACTOR) return words.system;
  const id = actor.replace(/^user:/, '');
  return id === me ? words.you : id;
}
