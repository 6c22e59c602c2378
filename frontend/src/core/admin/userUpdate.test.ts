import type { AdminUser } from '../api/adminEndpoints';
import { userUpdate, type UserDraft } from './userUpdate';

const user: AdminUser = {
  id: 'u1', tenant: 'demo', email: 'li@demo.credo', name: '李强', roles: ['collector', 'legal'], disabled: false,
  created_at: '', updated_at: '',
};
const draft: UserDraft = { email: user.email, name: user.name, roles: ['legal', 'collector'], disabled: false, password: '' };

describe('userUpdate', () => {
  it('sends nothing when nothing changed (roles in another order, spaces around the name)', () => {
    expect(userUpdate(user, { ...draft, name: ' 李强 ' })).toEqual({});
  });

  it('sends only the changed members', () => {
    expect(userUpdate(user, { ...draft, disabled: true })).toEqual({ disabled: true });
    expect(userUpdate(user, { ...draft, roles: ['collector_m2'], password: 'new-password-1' })).toEqual({
      roles: ['collector_m2'],
      password: 'new-password-1',
    });
    expect(userUpdate(user, { ...draft, email: 'qiang@demo.credo ', roles: [] })).toEqual({ email: 'qiang@demo.credo', roles: [] });
  });
});
