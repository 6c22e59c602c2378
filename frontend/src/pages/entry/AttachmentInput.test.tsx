import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { FormRecord, Principal } from '../../core/api/types';
import { accessOf, template } from '../../core/entry/testForms';
import { apiError, type Handler, type SentRequest } from '../../../test/fakeServer';
import { renderApp } from '../../../test/renderApp';
import type { StoredFile } from './fileEndpoints';

const admin: Principal = { id: 'u-9', email: 'admin@demo.credo', name: 'Admin', tenant: 'demo', roles: ['admin'], platform_admin: false };
const base = '/api/v1/t/demo/forms/customer';

const stored = (id: string, name: string, size: number, record?: string): StoredFile => ({
  id, form: 'customer', field: 'attachments', name, size, content_type: 'application/pdf', sha256: 'ab',
  uploaded_by: 'u-9', uploaded_at: '2026-05-04T09:00:00Z', ...(record ? { record, path: '/attachments/0' } : {}),
});

const saved = (data: Record<string, unknown>): FormRecord => ({
  id: 'c1', form: 'customer', form_version: 1, version: 1, created_at: '2026-05-04T09:00:00Z', updated_at: '2026-05-04T09:00:00Z', created_by: 'u-9', data,
});

/** renderEntry opens the customer entry page; single makes attachments one file (a string). */
function renderEntry(url: string, routes: Record<string, Handler>, opts: { single?: boolean; language?: 'en' | 'zh-CN' } = {}) {
  const def = template('customer');
  if (opts.single) {
    const props = (def['schema'] as { properties: Record<string, unknown> }).properties;
    props['attachments'] = { type: 'string', maxLength: 128 };
  }
  return renderApp({
    url,
    user: admin,
    ...(opts.language ? { language: opts.language } : {}),
    routes: {
      [`GET ${base}/access`]: () => ({ body: accessOf(def) }),
      'GET /api/v1/t/demo/definitions/form/customer/versions/1': () => ({ body: { kind: 'form', key: 'customer', version: 1, published_at: '', body: def } }),
      ...routes,
    },
  });
}

const pdf = (name: string, size: number) => new File([new Uint8Array(size).fill(37)], name, { type: 'application/pdf' });

async function fillRequired(user: ReturnType<typeof userEvent.setup>) {
  await user.type(await screen.findByLabelText('Customer name *'), '王芳');
  await user.click(screen.getByRole('radio', { name: 'Individual' }));
  await user.type(screen.getByLabelText('ID number *'), '11010119900307123X');
  await user.type(screen.getByLabelText('Mobile phone *'), '13800000000');
}

const uploads = (sent: SentRequest[]) => sent.filter((r) => r.method === 'POST' && r.path === `${base}/files`);

describe('AttachmentInput', () => {
  it('uploads each chosen file at once, lists it with its size, and saves the ids with the record', async () => {
    let n = 0;
    const { server } = renderEntry('/forms/customer/records/new', {
      [`POST ${base}/files`]: (req) => {
        const file = req.form?.get('file');
        return { status: 201, body: stored(`f${++n}`, file instanceof File ? file.name : '?', file instanceof File ? file.size : 0) };
      },
      [`POST ${base}/records`]: (req) => ({ status: 201, body: saved(req.body as Record<string, unknown>) }),
    });
    const user = userEvent.setup();
    await fillRequired(user);
    const input = screen.getByLabelText('Attachments');
    await user.upload(input, [pdf('payslip.pdf', 1536), pdf('bank statement.pdf', 3 * 1024 * 1024)]);

    const list = await screen.findByRole('list', { name: 'Files of Attachments' });
    await waitFor(() => expect(within(list).getAllByRole('listitem')).toHaveLength(2));
    expect(within(list).getByText('payslip.pdf')).toBeInTheDocument();
    expect(within(list).getByText('1.5 KB')).toBeInTheDocument();
    expect(within(list).getByText('3 MB')).toBeInTheDocument();
    const sent = uploads(server.sent);
    expect(sent).toHaveLength(2);
    expect(sent[0]?.query.get('field')).toBe('attachments');
    expect(sent[0]?.headers['X-CSRF-Token']).toBe('csrf-token-1');

    await user.click(within(list).getByRole('button', { name: 'Remove payslip.pdf' }));
    expect(within(list).queryByText('payslip.pdf')).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Create record' }));
    expect(await screen.findByText('Record created.')).toBeInTheDocument();
    expect(server.sent.find((r) => r.method === 'POST' && r.path === `${base}/records`)?.body).toMatchObject({ attachments: ['f2'] });
  });

  it('says why the server refused a file, under the field, and keeps the others', async () => {
    renderEntry('/forms/customer/records/new', {
      [`POST ${base}/files`]: (req) => {
        const file = req.form?.get('file');
        if (file instanceof File && file.name === 'setup.pdf') {
          return apiError(415, 'file_type_not_allowed', 'This kind of file is not accepted.', { fields: [{ path: 'file', code: 'content_type', message: 'is application/octet-stream' }] });
        }
        if (file instanceof File && file.name === 'huge.pdf') {
          return apiError(413, 'file_too_large', 'Too large.', { fields: [{ path: 'file', code: 'max_size', message: 'is too large', params: { limit: 10485760 } }] });
        }
        return { status: 201, body: stored('f1', 'ok.pdf', 10) };
      },
    });
    const user = userEvent.setup();
    const input = await screen.findByLabelText('Attachments');
    await user.upload(input, [pdf('setup.pdf', 10), pdf('huge.pdf', 20), pdf('ok.pdf', 10)]);

    expect(await screen.findByText('setup.pdf: Not an accepted kind of file: upload a scan or photo (JPEG, PNG, WebP, GIF), a PDF or a text file.')).toBeInTheDocument();
    expect(screen.getByText('huge.pdf: Larger than 10 MB; upload a smaller or compressed copy.')).toBeInTheDocument();
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(within(screen.getByRole('list', { name: 'Files of Attachments' })).getByText('ok.pdf')).toBeInTheDocument();
  });

  it('places the server’s refusal of a saved file on the field', async () => {
    renderEntry('/forms/customer/records/new', {
      [`POST ${base}/files`]: () => ({ status: 201, body: stored('f1', 'id.pdf', 10) }),
      [`POST ${base}/records`]: () =>
        apiError(422, 'validation_failed', 'Some fields are not valid; see fields.', {
          fields: [{ path: '/attachments/0', code: 'attachment_in_use', message: 'is a file attached to another record; upload it again here' }],
        }),
    });
    const user = userEvent.setup();
    await fillRequired(user);
    const input = screen.getByLabelText('Attachments');
    await user.upload(input, pdf('id.pdf', 10));
    await screen.findByText('id.pdf');
    await user.click(screen.getByRole('button', { name: 'Create record' }));
    expect(await screen.findByText('This file belongs to another record; upload it again here.')).toBeInTheDocument();
    expect(input).toHaveAttribute('aria-invalid', 'true');
  });

  it('holds one file when the field holds one, replaced by the next choice, in Chinese too', async () => {
    let n = 0;
    const { server } = renderEntry(
      '/forms/customer/records/new',
      {
        [`POST ${base}/files`]: (req) => {
          const file = req.form?.get('file');
          return { status: 201, body: stored(`f${++n}`, file instanceof File ? file.name : '?', 2048) };
        },
        [`POST ${base}/records`]: (req) => ({ status: 201, body: saved(req.body as Record<string, unknown>) }),
      },
      { single: true, language: 'zh-CN' },
    );
    const user = userEvent.setup();
    const input = await screen.findByLabelText('附件');
    expect(input).not.toHaveAttribute('multiple');
    expect(screen.getByText('扫描件、照片、PDF 或文本文件；选择后立即上传。')).toBeInTheDocument();
    await user.upload(input, pdf('正面.pdf', 10));
    await screen.findByText('正面.pdf');
    await user.upload(input, pdf('反面.pdf', 10));
    await screen.findByText('反面.pdf');
    expect(screen.queryByText('正面.pdf')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: '移除 反面.pdf' })).toBeInTheDocument();

    await user.type(screen.getByLabelText('客户姓名 *'), '王芳');
    await user.click(screen.getByRole('radio', { name: '个人' }));
    await user.type(screen.getByLabelText('身份证号 *'), '11010119900307123X');
    await user.type(screen.getByLabelText('手机号码 *'), '13800000000');
    await user.click(screen.getByRole('button', { name: '创建记录' }));
    await screen.findByText('记录已创建。');
    expect(server.sent.find((r) => r.method === 'POST' && r.path === `${base}/records`)?.body).toMatchObject({ attachments: 'f2' });
  });

  it('names the files of a record being changed', async () => {
    renderEntry('/forms/customer/records/c1/edit', {
      [`GET ${base}/records/c1`]: () => ({ body: { ...saved({ name: '王芳', customer_type: 'individual', id_number: '11010119900307123X', mobile_phone: '13800000000', attachments: ['f7'] }), version: 3 } }),
      [`GET ${base}/records/c1/files`]: () => ({ body: { files: [stored('f7', 'contract.pdf', 4096, 'c1')] } }),
    });
    const link = await screen.findByRole('link', { name: 'contract.pdf' });
    expect(link).toHaveAttribute('href', '/api/v1/t/demo/forms/customer/records/c1/files/f7');
    expect(screen.getByText('4 KB')).toBeInTheDocument();
  });
});
