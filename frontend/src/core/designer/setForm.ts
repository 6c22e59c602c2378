import { setKey } from './setKey';
import type { DesignTree, Json } from './types';

/**
 * setForm sets one property of the form itself (key, title, description), or removes
 * it given undefined.
 *
 * @example
 * setForm(tree, 'title', { 'zh-CN': '进件', en: 'Intake' })
 */
export function setForm(tree: DesignTree, key: 'key' | 'title' | 'description', value: Json | undefined): DesignTree {
  return { ...tree, rest: setKey(tree.rest, key, value) };
}
