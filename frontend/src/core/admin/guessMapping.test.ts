import type { FieldAccess } from '../api/types';
import { guessMapping } from './guessMapping';

const fields: FieldAccess[] = [
  { name: 'name', view: 'full', write: true, label: { en: 'Customer name', 'zh-CN': '客户姓名' } },
  { name: 'phone', view: 'full', write: true, label: { en: 'Name' } },
  { name: 'score', view: 'full', write: false, computed: true, label: { en: 'Score' } },
  { name: 'notes', view: 'none', write: true, label: { en: 'Notes' } },
];

describe('guessMapping', () => {
  it('matches headers to writable fields by label in any language, or by key', () => {
    expect(guessMapping(['客户姓名', 'PHONE', 'notes', 'Score', 'Other'], fields)).toEqual({
      客户姓名: 'name', PHONE: 'phone', notes: 'notes', Score: '', Other: '',
    });
  });

  it('lets a key win over another field’s label, and fills each field once', () => {
    expect(guessMapping(['name', 'Customer name', ''], fields)).toEqual({ name: 'name', 'Customer name': '' });
  });
});
