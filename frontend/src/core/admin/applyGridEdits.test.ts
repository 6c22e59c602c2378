import type { Permission } from '../api/adminEndpoints';
import { applyGridEdits } from './applyGridEdits';

const allow = (object: string, action: string): Permission => ({ object, action, effect: 'allow' });
const deny = (object: string, action: string): Permission => ({ object, action, effect: 'deny' });

const reviewer = [
  allow('admin:tasks', 'read'),
  allow('form:customer/*', 'read'),
  allow('form:loan', 'read'),
  allow('form:loan/*', 'read'),
  allow('form:loan/*', 'update'),
];

describe('applyGridEdits', () => {
  it('changes only the edited cells’ rules and says which cell wrote each new rule', () => {
    const got = applyGridEdits(reviewer, 'loan', [
      { kind: 'field', field: 'phone', level: 'masked', computed: false },
      { kind: 'action', action: 'export', allowed: true },
      { kind: 'field', field: 'score', level: 'hidden', computed: true },
    ]);
    expect(got.permissions).toEqual([
      ...reviewer,
      deny('form:loan/field:phone', 'read'),
      allow('form:loan/field:phone', 'read_masked'),
      deny('form:loan/field:phone', 'update'),
      allow('form:loan', 'export'),
      deny('form:loan/field:score', 'read'),
    ]);
    expect(got.origins).toEqual([null, null, null, null, null, 'field:phone', 'field:phone', 'field:phone', 'action:export', 'field:score']);
    expect(got.impossible).toEqual([]);
  });

  it('removes the rules a cell no longer needs and reports cells a wildcard deny blocks', () => {
    const perms = [allow('form:loan', 'read'), allow('form:loan', 'delete'), deny('form:*', 'export')];
    const got = applyGridEdits(perms, 'loan', [
      { kind: 'action', action: 'delete', allowed: false },
      { kind: 'action', action: 'export', allowed: true },
    ]);
    expect(got.permissions).toEqual([allow('form:loan', 'read'), deny('form:*', 'export')]);
    expect(got.origins).toEqual([null, null]);
    expect(got.impossible).toEqual(['action:export']);
  });
});
