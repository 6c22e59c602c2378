// End-to-end steps of attachments, run by shell.e2e.mjs in the real browser against the
// real server: the demo administrator uploads a small PDF (made here, byte by byte) in
// the customer entry form, creates the record, finds the file as a download link on
// the record page, and downloads exactly the bytes uploaded.
import { demoPassword, idNumber, must } from './server.mjs';

/** samplePdf is a small, well-formed one-page PDF whose text names the run. */
function samplePdf(marker) {
  const text = `BT /F1 18 Tf 40 100 Td (Payslip ${marker}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${text.length} >>\nstream\n${text}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** filesSteps runs the scenario; step, logIn and logOut are shell.e2e.mjs's own. */
export async function filesSteps({ page, step, logIn, logOut }) {
  const pdf = samplePdf(Date.now().toString(36));
  const name = 'payslip-e2e.pdf';

  await step(page, 'files: a PDF is uploaded in the entry form and saved with the record', async () => {
    if ((await page.getByRole('button', { name: /^(Log out|退出登录)$/ }).count()) > 0) await logOut(page);
    await page.getByLabel(/^(Language|语言)$/).selectOption('en');
    await logIn(page, 'demo', 'admin@demo.credo', demoPassword);
    await page.getByRole('heading', { name: 'Forms', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Customer', exact: true }).click();
    await page.getByRole('heading', { name: 'Customer: records' }).waitFor();
    await page.getByRole('link', { name: 'New record', exact: true }).click();
    await page.getByRole('heading', { name: 'Customer: new record' }).waitFor();
    await page.getByLabel('Customer name *').fill('附件 测试');
    await page.getByRole('radio', { name: 'Individual' }).check();
    await page.getByLabel('ID number *').fill(idNumber('11010519850412345'));
    await page.getByLabel('Mobile phone *').fill('13900000001');

    const upload = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/forms/customer/files?field=attachments'));
    await page.getByLabel('Attachments').setInputFiles({ name, mimeType: 'application/pdf', buffer: pdf });
    const res = await upload;
    must(res.status() === 201, `the upload answered ${res.status()}: ${await res.text()}`);
    const chosen = page.getByRole('list', { name: 'Files of Attachments' });
    await chosen.getByText(name).waitFor();
    await chosen.getByRole('button', { name: `Remove ${name}` }).waitFor();

    await page.getByRole('button', { name: 'Create record' }).click();
    await page.getByRole('status').filter({ hasText: 'Record created.' }).waitFor();
    await page.getByRole('heading', { name: 'Customer: record', level: 1 }).waitFor();
  });

  await step(page, 'files: the record links the file, which downloads byte for byte', async () => {
    const row = page.locator('.field-row').filter({ has: page.getByText('Attachments', { exact: true }) });
    const link = row.getByRole('link', { name });
    await link.waitFor();
    const download = page.waitForEvent('download');
    await link.click();
    const file = await download;
    must(file.suggestedFilename() === name, `the download is named ${file.suggestedFilename()}`);
    const chunks = [];
    for await (const chunk of await file.createReadStream()) chunks.push(chunk);
    const got = Buffer.concat(chunks);
    must(got.equals(pdf), `the download has ${got.length} bytes, not the ${pdf.length} uploaded, or other bytes`);
  });
}
