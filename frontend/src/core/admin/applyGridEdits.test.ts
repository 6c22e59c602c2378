import type { Permission } from '../api/adminEndpoints';
import { applyGridEdits } from './applyGridEdits';
import { fieldLevel } from './fieldLevel';
import type { GridCell } from './gridCell';

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

  it('sets a table apart from one of its columns whatever the order the cells were chosen in', () => {
    const reader = [allow('form:loan', 'read'), allow('form:loan/*', 'read')];
    const table: GridCell = { kind: 'field', field: 'contacts', level: 'edit', computed: false };
    const phone: GridCell = { kind: 'field', field: 'contacts.phone', level: 'hidden', computed: false };
    const want = [
      ...reader,
      allow('form:loan/field:contacts', 'update'),
      // The table's update covers the phone too: the phone needs denies of its own.
      deny('form:loan/field:contacts.phone', 'read'),
      deny('form:loan/field:contacts.phone', 'update'),
    ];
    for (const cells of [[table, phone], [phone, table]]) {
      const got = applyGridEdits(reader, 'loan', cells);
      expect(got.permissions).toEqual(want);
      expect(got.origins).toEqual([null, null, 'field:contacts', 'field:contacts.phone', 'field:contacts.phone']);
      expect(got.impossible).toEqual([]);
      expect(fieldLevel(got.permissions, 'loan', 'contacts', false)).toBe('edit');
      expect(fieldLevel(got.permissions, 'loan', 'contacts.name', false)).toBe('edit');
      expect(fieldLevel(got.permissions, 'loan', 'contacts.phone', false)).toBe('hidden');
    }
  });

  it('keeps a column’s own level when only its table changes, and says when a table’s deny blocks a column', () => {
    const perms = [allow('form:loan/*', 'read'), deny('form:loan/field:contacts.relation', 'update')];
    const got = applyGridEdits(perms, 'loan', [{ kind: 'field', field: 'contacts', level: 'edit', computed: false }]);
    expect(fieldLevel(got.permissions, 'loan', 'contacts.relation', false)).toBe('read');
    expect(fieldLevel(got.permissions, 'loan', 'contacts.name', false)).toBe('edit');

    const hidden = applyGridEdits(perms, 'loan', [
      { kind: 'field', field: 'contacts.name', level: 'edit', computed: false },
      { kind: 'field', field: 'contacts', level: 'hidden', computed: false },
    ]);
    expect(hidden.permissions).toEqual([...perms, deny('form:loan/field:contacts', 'read')]);
    expect(hidden.impossible).toEqual(['field:contacts.name']);
  });
});

