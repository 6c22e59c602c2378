import { screen, within } from '@testing-library/react';
import type { FormAccess } from '../../core/api/types';
import { renderApp, reviewer } from '../../../test/renderApp';

const base = '/api/v1/t/demo/forms/loan_application';

// A reader of the contacts who may not know the phone column (the server leaves it out
// of the access answer and of every row) and reads the name masked.
const access: FormAccess = {
  form: 'loan_application', version: 1, title: { en: 'Loan application', 'zh-CN': '贷款申请' },
  create: false, read: true, update: false, delete: false, export: false, row_scoped: false,
  fields: [
    { name: 'applicant_name', view: 'full', write: false, label: { en: 'Applicant name', 'zh-CN': '申请人姓名' }, widget: 'text' },
    {
      name: 'contacts', view: 'full', write: false, label: { en: 'Emergency contacts', 'zh-CN': '紧急联系人' }, widget: 'subtable',
      columns: [
        { name: 'name', view: 'masked', write: false, sensitive: true, label: { en: 'Name', 'zh-CN': '姓名' }, widget: 'text' },
        {
          name: 'relation', view: 'full', write: false, label: { en: 'Relation', 'zh-CN': '关系' }, widget: 'select',
          options: [{ value: 'spouse', label: { en: 'Spouse', 'zh-CN': '配偶' } }, { value: 'friend', label: { en: 'Friend', 'zh-CN': '朋友' } }],
        },
        { name: 'since', view: 'full', write: false, label: { en: 'Known since', 'zh-CN': '相识日期' }, widget: 'date' },
        { name: 'photo', view: 'full', write: false, label: { en: 'Photo', 'zh-CN': '照片' }, widget: 'attachment' },
        { name: 'note', view: 'none', write: true, label: { en: 'Note', 'zh-CN': '备注' }, widget: 'text' },
      ],
    },
  ],
};

const data = {
  applicant_name: '王芳',
  contacts: [
    { name: '李*', relation: 'spouse', since: '2015-06-01', photo: 'f1' },
    { name: '赵*', relation: 'friend' },
  ],
};

function renderRecord(language: 'en' | 'zh-CN' = 'en') {
  return renderApp({
    url: '/forms/loan_application/records/r1',
    user: reviewer,
    language,
    routes: {
      [`GET ${base}/access`]: () => ({ body: access }),
      [`GET ${base}/records/r1`]: () => ({
        body: { id: 'r1', form: 'loan_application', form_version: 1, version: 2, created_at: '2026-05-04T09:00:00Z', updated_at: '2026-05-04T09:00:00Z', created_by: 'u-1', data },
      }),
      [`GET ${base}/records/r1/files`]: () => ({
        body: {
          files: [
            { id: 'f1', form: 'loan_application', field: 'contacts.photo', name: 'li.jpg', size: 2048, content_type: 'image/jpeg', sha256: 'ab', uploaded_by: 'u-1', uploaded_at: '2026-05-04T09:00:00Z', record: 'r1', path: '/contacts/0/photo' },
          ],
        },
      }),
      [`GET ${base}/records/r1/flows`]: () => ({ body: { instances: [], history: [] } }),
      [`GET ${base}/records/r1/rule-runs`]: () => ({ body: { runs: [] } }),
      'GET /api/v1/t/demo/tasks': () => ({ body: { tasks: [] } }),
    },
  });
}

const cells = (table: HTMLElement) => within(table).getAllByRole('row').map((r) => [...r.querySelectorAll('th, td')].map((c) => c.textContent));

describe('a sub-table on the record page', () => {
  it('is a small table of the readable columns: masked values as sent, choices and dates in words, files as links, empty cells as —', async () => {
    renderRecord();
    const table = await screen.findByRole('table', { name: 'Emergency contacts' });
    await within(table).findByRole('link', { name: 'li.jpg' });
    expect(cells(table)).toEqual([
      ['Name', 'Relation', 'Known since', 'Photo'],
      ['李*', 'Spouse', 'Jun 1, 2015', 'li.jpg 2 KB'],
      ['赵*', 'Friend', '—', '—'],
    ]);
    expect(within(table).getByRole('link', { name: 'li.jpg' })).toHaveAttribute('href', `${base}/records/r1/files/f1`);
    expect(screen.queryByText('2 rows')).not.toBeInTheDocument();
  });

  it('heads the columns in the reader’s language', async () => {
    renderRecord('zh-CN');
    const table = await screen.findByRole('table', { name: '紧急联系人' });
    expect(within(table).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['姓名', '关系', '相识日期', '照片']);
    expect(within(table).getByText('配偶')).toBeInTheDocument();
  });
});
