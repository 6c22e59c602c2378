import { screen, within } from '@testing-library/react';
import type { FormAccess } from '../../core/api/types';
import { renderApp, reviewer } from '../../../test/renderApp';

const base = '/api/v1/t/demo/forms/customer';

const access: FormAccess = {
  form: 'customer', version: 1, title: { 'zh-CN': '客户', en: 'Customer' },
  create: false, read: true, update: false, delete: false, export: false, row_scoped: false,
  fields: [
    { name: 'name', view: 'full', write: false, label: { en: 'Customer name', 'zh-CN': '客户姓名' }, widget: 'text' },
    { name: 'attachments', view: 'full', write: false, label: { en: 'Attachments', 'zh-CN': '附件' }, widget: 'attachment' },
    { name: 'id_scan', view: 'masked', write: false, label: { en: 'ID scan', 'zh-CN': '身份证扫描件' }, widget: 'attachment' },
  ],
};

function renderRecord(data: Record<string, unknown>, language: 'en' | 'zh-CN' = 'en') {
  return renderApp({
    url: '/forms/customer/records/c1',
    user: reviewer,
    language,
    routes: {
      [`GET ${base}/access`]: () => ({ body: access }),
      [`GET ${base}/records/c1`]: () => ({
        body: { id: 'c1', form: 'customer', form_version: 1, version: 2, created_at: '2026-05-04T09:00:00Z', updated_at: '2026-05-04T09:00:00Z', created_by: 'u-1', data },
      }),
      [`GET ${base}/records/c1/files`]: () => ({
        body: {
          files: [
            { id: 'f1', form: 'customer', field: 'attachments', name: '工资单.pdf', size: 250_000, content_type: 'application/pdf', sha256: 'ab', uploaded_by: 'u-1', uploaded_at: '2026-05-04T09:00:00Z', record: 'c1', path: '/attachments/0' },
            { id: 'f2', form: 'customer', field: 'attachments', name: 'bank statement.png', size: 900, content_type: 'image/png', sha256: 'cd', uploaded_by: 'u-1', uploaded_at: '2026-05-04T09:00:00Z', record: 'c1', path: '/attachments/1' },
          ],
        },
      }),
      [`GET ${base}/records/c1/flows`]: () => ({ body: { instances: [], history: [] } }),
      [`GET ${base}/records/c1/rule-runs`]: () => ({ body: { runs: [] } }),
      'GET /api/v1/t/demo/tasks': () => ({ body: { tasks: [] } }),
    },
  });
}

describe('AttachmentLinks on the record page', () => {
  it('shows each file as a download link with its name and size; a masked value as the server sent it', async () => {
    const { server } = renderRecord({ name: '王芳', attachments: ['f1', 'f2'], id_scan: '***' });
    const payslip = await screen.findByRole('link', { name: '工资单.pdf' });
    expect(payslip).toHaveAttribute('href', `${base}/records/c1/files/f1`);
    expect(payslip).toHaveAttribute('download', '工资单.pdf');
    const list = screen.getByRole('list', { name: 'Files of Attachments' });
    expect(within(list).getAllByRole('link').map((a) => a.textContent)).toEqual(['工资单.pdf', 'bank statement.png']);
    expect(within(list).getByText('244.1 KB')).toBeInTheDocument();
    expect(within(list).getByText('900 B')).toBeInTheDocument();
    const scan = screen.getByText('ID scan').closest('div')!;
    expect(within(scan).getByRole('definition')).toHaveTextContent('***');
    expect(server.sent.filter((r) => r.path === `${base}/records/c1/files`)).toHaveLength(1);
  });

  it('asks for no files when the record holds none', async () => {
    const { server } = renderRecord({ name: '王芳' }, 'zh-CN');
    await screen.findByText('王芳');
    expect(screen.queryByRole('link', { name: /pdf/ })).not.toBeInTheDocument();
    expect(server.sent.some((r) => r.path === `${base}/records/c1/files`)).toBe(false);
  });
});
