import type { People } from '../api/types';

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
 * the system, the flow (no actor), or the user by the name the server gave in people
 * (the id when it gave none).
 *
 * @example
 * actorLabel('u-1', 'u-1', words) // "you"
 * actorLabel('user:u-2', 'u-1', words, { 'u-2': '王芳' }) // "王芳"
 */
export function actorLabel(actor: string | undefined, me: string, words: ActorWords, people: People = {}): string {
  if (!actor) return words.flow;
  if (actor === SYSTEM_ACTOR) return words.system;
  const id = actor.replace(/^user:/, '');
  return id === me ? words.you : (people[id] ?? id);
}
