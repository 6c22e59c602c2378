import { fromDefinition } from './fromDefinition';
import { newDefinition } from './newDefinition';
import { toDefinition } from './toDefinition';

describe('newDefinition', () => {
  it('starts a form with one empty section and survives a round trip', () => {
    const def = newDefinition('intake', { en: 'Intake' }, { en: 'Basics' });
    const tree = fromDefinition(def);
    expect(tree.fields).toEqual([]);
    expect(tree.sections).toHaveLength(1);
    expect(toDefinition(tree)).toEqual(def);
  });
});
