import { objMatch } from './objMatch';

describe('objMatch', () => {
  it.each([
    // casbin's keyMatch, unchanged
    ['form:loan/field:amount', 'form:loan/*', true],
    ['form:loan/field:contacts.phone', 'form:loan/*', true],
    ['form:loan', 'form:loan', true],
    ['form:loan_application', 'form:loan', false],
    // a table's rule covers its columns
    ['form:loan/field:contacts.phone', 'form:loan/field:contacts', true],
    ['form:loan/field:contacts.name', 'form:loan/field:contacts', true],
    ['form:loan/field:contacts', 'form:loan/field:contacts', true],
    // and nothing else
    ['form:loan/field:contactsX', 'form:loan/field:contacts', false],
    ['form:loan/field:contacts_old.name', 'form:loan/field:contacts', false],
    ['form:loan/field:contact', 'form:loan/field:contacts', false],
    ['form:loan/field:contacts', 'form:loan/field:contacts.phone', false],
    ['form:loan/field:contacts.name', 'form:loan/field:contacts.phone', false],
    ['form:loan/field:contacts.phone', 'form:loan/field:contacts.phone', true],
    // only field objects have columns
    ['form:loan.x', 'form:loan', false],
    ['flow:loan/node:review.x', 'flow:loan/node:review', false],
    ['form:other/field:contacts.phone', 'form:loan/field:contacts', false],
  ])('%s against %s is %s', (object, pattern, want) => {
    expect(objMatch(object, pattern)).toBe(want);
  });
});
