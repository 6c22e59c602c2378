import { findConflicts } from './findConflicts';
import { initialValues } from './initialValues';
import { recordPatch } from './recordPatch';
import { resolveConflicts } from './resolveConflicts';
import { entryOf } from './testForms';

const form = entryOf('customer');
const read = { name: '王芳', address: '北京市朝阳区一号', email: 'a@b.cn', notes: 'old' };
const stored = { name: '王芳', address: '北京市海淀区二号', email: 'a@b.cn', notes: 'theirs' };

describe('version conflicts', () => {
  it('lists the fields changed on both sides and those only they changed', () => {
    const base = initialValues(form, read);
    const mine = { ...base, address: '上海市浦东新区三号', name: '王芳芳' };
    const conflicts = findConflicts(form, base, mine, stored);
    expect(conflicts).toEqual([
      { name: 'address', theirs: '北京市海淀区二号', mine: '上海市浦东新区三号', changedByMe: true },
      { name: 'notes', theirs: 'theirs', mine: 'old', changedByMe: false },
    ]);
  });

  it('rebuilds on the stored record as the person chose and patches only the difference', () => {
    const base = initialValues(form, read);
    const mine = { ...base, address: '上海市浦东新区三号', name: '王芳芳' };
    const conflicts = findConflicts(form, base, mine, stored);
    const keep = resolveConflicts(form, conflicts, {}, base, mine, stored);
    expect(recordPatch(form, keep.base, keep.values)).toEqual({ address: '上海市浦东新区三号', name: '王芳芳' });
    const take = resolveConflicts(form, conflicts, { address: 'theirs', notes: 'mine' }, base, mine, stored);
    expect(recordPatch(form, take.base, take.values)).toEqual({ name: '王芳芳', notes: 'old' });
  });
});
