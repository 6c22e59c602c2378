// End-to-end steps of the administration pages, run by shell.e2e.mjs against the real
// server with the demo tenant: the demo administrator hides a field from the collectors
// in the permission grid and a collector no longer sees its column; the administrator
// imports a small CSV with one bad row into the customer form and reads the rejected
// row with its reason; the audit log is verified.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoPassword, must } from './server.mjs';

const collectorRole = 'Collector (M1) / 催收员（M1）';

/**
 * adminSteps runs the administration scenario. It starts with anyone logged in (or
 * nobody) and ends with the demo administrator logged in.
 */
export async function adminSteps({ page, step, logIn, logOut, base }) {
  const signInAs = async (email) => {
    if ((await page.getByRole('button', { name: /^(Log out|退出登录)$/ }).count()) > 0) await logOut(page);
    await page.getByLabel(/^(Language|语言)$/).selectOption('en');
    await logIn(page, 'demo', email, demoPassword);
    await page.getByRole('heading', { name: 'Forms', level: 1 }).waitFor();
  };

  await step(page, 'administrator hides a field from a role in the permission grid', async () => {
    await signInAs('admin@demo.credo');
    await page.getByRole('link', { name: 'Administration' }).click();
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Field permissions' }).click();
    await page.getByLabel('Form', { exact: true }).selectOption({ label: 'Loan application' });
    await page.getByRole('table', { name: 'Permissions on Loan application' }).waitFor();
    const cell = page.getByRole('combobox', { name: `Applicant name for ${collectorRole}` });
    must((await cell.inputValue()) === 'read', `the collector reads the applicant's name as ${await cell.inputValue()}`);
    await cell.selectOption('hidden');
    await page.getByRole('button', { name: 'Save changes (1)' }).click();
    await page.getByRole('status').filter({ hasText: `Saved: ${collectorRole}.` }).waitFor();
    must((await cell.inputValue()) === 'hidden', 'the cell does not show hidden after saving');
  });

  await step(page, 'a collector no longer sees the hidden column', async () => {
    await signInAs('collector@demo.credo');
    await page.getByRole('link', { name: 'Loan application' }).click();
    await page.getByRole('heading', { name: 'Loan application: records' }).waitFor();
    await page.getByRole('columnheader', { name: 'Gender' }).waitFor();
    const all = page.getByRole('button', { name: /^All columns/ });
    if ((await all.count()) > 0) await all.click();
    await page.getByRole('columnheader', { name: 'Mobile phone' }).waitFor();
    must((await page.getByRole('columnheader', { name: 'Applicant name' }).count()) === 0, 'the applicant name column is still shown');
    must((await page.getByRole('link', { name: 'Administration' }).count()) === 0, 'a collector is offered the administration');
  });

  await step(page, 'administrator imports a CSV and reads the rejected row', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'credo-import-'));
    try {
      const file = join(dir, 'customers.csv');
      const stamp = String(Date.now() % 1000).padStart(3, '0');
      writeFileSync(
        file,
        'Customer name,Customer type,ID number,Mobile phone\n' +
          `陈一,individual,11010119900307${stamp}1,13800138000\n` +
          `黄二,individual,11010119900307${stamp}2,12345\n` +
          `林三,individual,11010119900307${stamp}X,13900139000\n`,
      );
      await signInAs('admin@demo.credo');
      await page.goto(base + '/admin/imports');
      await page.getByRole('heading', { name: 'Import', level: 1 }).waitFor();
      await page.getByLabel('Form', { exact: true }).selectOption({ label: 'Customer' });
      await page.getByLabel('File', { exact: true }).setInputFiles(file);
      const mapping = page.getByRole('table', { name: 'Columns and the fields they fill' });
      await mapping.waitFor();
      must((await page.getByRole('combobox', { name: 'Field for column Mobile phone' }).inputValue()) === 'mobile_phone', 'Mobile phone is not mapped');
      await page.getByRole('button', { name: 'Start import' }).click();
      await page.getByText('Finished', { exact: true }).waitFor();
      await page.getByText(/^100% · 3 rows read · /).waitFor();
      must((await page.getByRole('progressbar').getAttribute('value')) === '100', 'the progress bar did not reach its end');
      await page.getByText('2 imported').waitFor();
      await page.getByText('1 rejected').waitFor();
      const rejects = page.getByRole('table', { name: 'Rejected rows' });
      const row = rejects.getByRole('row').nth(1);
      await row.waitFor();
      const cells = await row.getByRole('cell').allTextContents();
      must(cells[0] === '3' && cells[1] === 'Mobile phone' && cells[2] === 'Mobile phone', `rejected row reads ${cells.join(' | ')}`);
      must(/phone/.test(cells[3] ?? ''), `the reason does not name the phone: ${cells[3]}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  await step(page, 'the audit log is verified', async () => {
    await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
    const check = page.getByRole('region', { name: 'Integrity of the log' });
    const status = check.getByRole('status');
    await status.waitFor();
    const words = await status.textContent();
    must(words.startsWith('Verified') && /All [\d,]+ entries are intact/.test(words), `the check says: ${words}`);
    await page.getByLabel('Object starts with').fill('role:collector');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const entries = page.getByRole('table', { name: 'Audit entries' });
    await entries.getByRole('row').filter({ hasText: 'role:collector/permissions' }).filter({ hasText: 'Changed permissions' }).first().waitFor();
  });
}
