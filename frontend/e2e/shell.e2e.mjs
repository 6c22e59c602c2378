// End-to-end run of the app against the real server: builds the Go binary with the UI
// embedded and the reference scoring and anti-fraud plugins, starts it on a free port
// over a fresh SQLite file with the demo tenant, and drives Debian's Chromium through
// playwright-core. Each step saves a screenshot under .ci/artifacts/e2e/.
//
// The plugins matter: the demo's applications reach the credit reviewers' inbox only
// once scored (without a plugin host their decisions stay pending and no flow starts).
//
//   npm run build && npm run e2e
//
// Environment: CHROMIUM (browser, default /usr/bin/chromium), CREDO_BIN (use this
// binary instead of building one; it must embed the current build), CREDO_PLUGIN_DIR
// (installed plugins to use instead of building them).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { apiSession, buildBinary, buildPlugins, demoPassword, freePort, must, repo, startServer, stopServer, waitReady } from './server.mjs';
import { designerSteps } from './designer.steps.mjs';
import { adminSteps } from './admin.steps.mjs';
import { entrySteps } from './entry.steps.mjs';
import { flowSteps } from './flows.steps.mjs';
import { filesSteps } from './files.steps.mjs';
import { workspaceSteps } from './workspace.steps.mjs';
import { columnsSteps } from './columns.steps.mjs';

const artifacts = join(repo, '.ci', 'artifacts', 'e2e');
const browserPath = process.env.CHROMIUM || '/usr/bin/chromium';
const platformEmail = 'admin@credo.local';
const platformPassword = randomBytes(12).toString('hex');

let passed = 0;
let failed = 0;
let shot = 0;

async function main() {
  mkdirSync(artifacts, { recursive: true });
  // Screenshots of an earlier run would mix with this one's (steps come and go).
  for (const f of readdirSync(artifacts)) if (f.endsWith('.png')) rmSync(join(artifacts, f));
  if (!existsSync(browserPath)) throw new Error(`no browser at ${browserPath}: apt-get install chromium, or set CHROMIUM`);
  const work = mkdtempSync(join(tmpdir(), 'credo-e2e-'));
  let server;
  let browser;
  try {
    const bin = process.env.CREDO_BIN ? resolve(process.env.CREDO_BIN) : buildBinary(work);
    const plugins = process.env.CREDO_PLUGIN_DIR ? resolve(process.env.CREDO_PLUGIN_DIR) : buildPlugins(bin, work);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const log = join(artifacts, 'server.log');
    server = startServer(bin, work, port, log, {
      CREDO_ADMIN_EMAIL: platformEmail,
      CREDO_ADMIN_PASSWORD: platformPassword,
      CREDO_PLUGIN_DIR: plugins,
    });
    await waitReady(base, server, log);
    browser = await chromium.launch({ executablePath: browserPath, headless: true, args: ['--no-sandbox'] });
    await run(browser, base);
  } finally {
    await browser?.close();
    await stopServer(server);
    rmSync(work, { recursive: true, force: true });
  }
}

async function step(page, name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok   ${name}`);
  } catch (err) {
    failed++;
    console.log(`FAIL ${name}\n     ${String(err?.message ?? err).split('\n').join('\n     ')}`);
  }
  shot++;
  const file = `${String(shot).padStart(2, '0')}-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}.png`;
  await page.screenshot({ path: join(artifacts, file), fullPage: true }).catch(() => undefined);
}

async function logIn(page, tenant, email, password) {
  await page.getByLabel(/^(Tenant|租户)$/).fill(tenant);
  await page.getByLabel(/^(Email|邮箱)$/).fill(email);
  await page.getByLabel(/^(Password|密码)$/).fill(password);
  await page.getByRole('button', { name: /^(Log in|登录)$/ }).click();
}

// waitForInbox waits until the scoring plugins have sent the demo's applications on to
// the credit reviewers, and returns the reviewer's open task count.
async function waitForInbox(base, email) {
  const deadline = Date.now() + 90_000;
  const { cookie } = await apiSession(base, email);
  while (Date.now() < deadline) {
    const counts = await (await fetch(`${base}/api/v1/t/demo/tasks/counts`, { headers: { cookie } })).json();
    if (counts.open > 0) return counts.open;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`no task reached ${email} in 90 s: are the plugins running? see server.log`);
}

async function logOut(page) {
  await page.getByRole('button', { name: /^(Log out|退出登录)$/ }).click();
  await page.getByRole('heading', { name: /^(Log in to Credo|登录 Credo)$/ }).waitFor();
}

async function run(browser, base) {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1360, height: 860 } });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    // A 401 from /auth/me before logging in is expected; anything else (a CSP violation,
    // a React error) is a fault.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) pageErrors.push(m.text());
  });
  page.on('dialog', (d) => void d.accept());

  await step(page, 'login page', async () => {
    await page.goto(base + '/');
    await page.getByRole('heading', { name: 'Log in to Credo' }).waitFor();
    must(page.url().endsWith('/login'), `expected /login, at ${page.url()}`);
  });

  await step(page, 'wrong password is said in words', async () => {
    await logIn(page, 'demo', 'admin@demo.credo', 'not-the-password');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    must((await alert.textContent()).includes('Wrong tenant, email or password.'), `alert says: ${await alert.textContent()}`);
  });

  await step(page, 'platform administrator sees the tenants', async () => {
    await logIn(page, '', platformEmail, platformPassword);
    await page.getByRole('heading', { name: 'Tenants', level: 1 }).waitFor();
    await page.getByRole('cell', { name: 'demo', exact: true }).waitFor();
    must((await page.getByRole('link', { name: 'Forms' }).count()) === 0, 'a platform administrator has no forms page');
  });

  await step(page, 'create and suspend a tenant', async () => {
    await page.getByLabel('Slug').fill('acme-e2e');
    await page.getByLabel('Name', { exact: true }).fill('Acme Credit (e2e)');
    await page.getByLabel('Create its first administrator').check();
    await page.getByLabel('Administrator email').fill('boss@acme.test');
    await page.getByLabel('Administrator name').fill('Acme boss');
    await page.getByLabel('Administrator password').fill('acme-password-2026');
    await page.getByRole('button', { name: 'Create tenant' }).click();
    await page.getByRole('status').filter({ hasText: 'Tenant Acme Credit (e2e) created.' }).waitFor();
    await page.getByRole('button', { name: 'Suspend acme-e2e' }).click();
    await page.getByRole('button', { name: 'Activate acme-e2e' }).waitFor();
    const row = page.getByRole('row').filter({ hasText: 'acme-e2e' });
    must((await row.textContent()).includes('Suspended'), `row reads: ${await row.textContent()}`);
  });

  await step(page, 'a suspended tenant cannot log in', async () => {
    await logOut(page);
    await logIn(page, 'acme-e2e', 'boss@acme.test', 'acme-password-2026');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    must((await alert.textContent()).includes('A suspended tenant'), `alert says: ${await alert.textContent()}`);
  });

  await step(page, 'tenant user sees the published forms', async () => {
    await logIn(page, 'demo', 'auditor@demo.credo', demoPassword);
    await page.getByRole('heading', { name: 'Forms', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Loan application' }).waitFor();
    await page.getByRole('link', { name: 'Customer' }).waitFor();
  });

  await step(page, 'record list with masked values and load more', async () => {
    await page.getByRole('link', { name: 'Loan application' }).click();
    await page.getByRole('heading', { name: 'Loan application: records' }).waitFor();
    await page.getByRole('columnheader', { name: 'Applicant name' }).waitFor();
    await page.getByText('20 shown').waitFor();
    // The auditor reads every field masked: names keep their first character, the rest is ***.
    const firstRow = page.getByRole('row').nth(1);
    must(/\*/.test(await firstRow.textContent()), `first row is not masked: ${await firstRow.textContent()}`);
    await page.getByRole('button', { name: 'Load more' }).click();
    await page.getByText('40 shown').waitFor();
    must((await page.getByRole('row').count()) === 41, 'expected 40 rows and the header');
  });

  await step(page, 'language switch to Chinese', async () => {
    await page.getByLabel('Language').selectOption('zh-CN');
    await page.getByRole('heading', { name: '贷款申请：记录' }).waitFor();
    await page.getByRole('columnheader', { name: '申请人姓名' }).waitFor();
    await page.getByRole('link', { name: '表单', exact: true }).waitFor();
    must((await page.locator('html').getAttribute('lang')) === 'zh-CN', 'html lang is not zh-CN');
  });

  await step(page, 'reload keeps the session and the language', async () => {
    await page.reload();
    await page.getByRole('heading', { name: '贷款申请：记录' }).waitFor();
    await page.getByRole('button', { name: '退出登录' }).waitFor();
  });

  await step(page, 'logout in Chinese', async () => {
    await logOut(page);
    await page.getByRole('button', { name: '登录' }).waitFor();
  });

  await step(page, 'administrator of the tenant reads money in full', async () => {
    await logIn(page, 'demo', 'admin@demo.credo', demoPassword);
    await page.getByRole('heading', { name: '表单', level: 1 }).waitFor();
    await page.goto(base + '/forms/loan_application/records');
    await page.getByRole('button', { name: /^全部列/ }).click();
    await page.getByRole('columnheader', { name: '申请金额（元）' }).waitFor();
    const amounts = await page.getByRole('row').nth(1).textContent();
    must(/¥[\d,]+\.\d{2}/.test(amounts), `no amount in yuan in: ${amounts}`);
  });

  let openTasks = 0;
  let taskRecord = '';

  await step(page, 'reviewer opens the task inbox', async () => {
    openTasks = await waitForInbox(base, 'reviewer@demo.credo');
    await logOut(page);
    await page.getByLabel(/^(Language|语言)$/).selectOption('en');
    await logIn(page, 'demo', 'reviewer@demo.credo', demoPassword);
    const tasksLink = page.getByRole('link', { name: /^Tasks/ });
    await tasksLink.filter({ hasText: `${openTasks} open` }).waitFor();
    await tasksLink.click();
    await page.getByRole('heading', { name: 'Tasks', level: 1 }).waitFor();
    must((await page.getByRole('tab', { name: 'Mine', selected: true }).count()) === 1, 'the Mine tab is not selected');
    // A reviewer may not see every task: the server refuses "all", and the tab is hidden.
    must((await page.getByRole('tab', { name: 'All' }).count()) === 0, 'a reviewer is offered every task');
    await page.getByRole('link', { name: 'Credit review' }).first().waitFor();
  });

  await step(page, 'reviewer claims a task', async () => {
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'Credit review' }) }).first();
    taskRecord = (await row.getByRole('link').nth(1).textContent()).trim();
    await row.getByRole('link', { name: 'Credit review' }).click();
    await page.getByRole('heading', { name: 'Credit review', level: 2 }).waitFor();
    await page.getByRole('button', { name: 'Claim' }).click();
    await page.getByText('You hold this task now.').waitFor();
    must((await page.getByRole('button', { name: 'Claim' }).count()) === 0, 'Claim is still offered');
  });

  await step(page, 'a limit that is not a number is refused on its field', async () => {
    const limit = page.getByLabel('Approved limit');
    await limit.fill('12k');
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.getByRole('alert').filter({ hasText: 'Some values are not valid' }).waitFor();
    must((await limit.getAttribute('aria-invalid')) === 'true', 'the approved limit is not marked invalid');
    const problems = await page.locator('#task-field-approved_limit-problems').textContent();
    must(problems.startsWith('Wrong kind of value'), `problem under the field: ${problems}`);
  });

  await step(page, 'reviewer approves with an approved limit', async () => {
    await page.getByLabel('Approved limit').fill('150000');
    await page.getByLabel('Comment').fill('Income and employer verified.');
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.getByText('Approved.').waitFor();
    await page.getByText('This task is closed.').waitFor();
    await page.getByRole('link', { name: /^Tasks/ }).filter({ hasText: `${openTasks - 1} open` }).waitFor();
  });

  await step(page, 'the record shows the decision in its history', async () => {
    await page.getByRole('link', { name: 'Open the record' }).click();
    await page.getByRole('heading', { name: 'Loan application: record', level: 1 }).waitFor();
    must(page.url().endsWith(`/records/${taskRecord}`), `at ${page.url()}, not record ${taskRecord}`);
    const limit = page.locator('.field-row').filter({ has: page.getByText('Approved limit', { exact: true }) });
    await limit.getByText('CN¥150,000.00').waitFor();
    const history = page.getByRole('table', { name: 'Flow history' });
    const approved = history.getByRole('row').filter({ hasText: 'Approved' }).filter({ hasText: 'Income and employer verified.' });
    must((await approved.count()) === 1, 'no approval by the reviewer in the flow history');
    must((await approved.textContent()).includes('you'), `approval row: ${await approved.textContent()}`);
    await page.getByRole('table', { name: 'Rules that fired' }).getByText('start_approval').waitFor();
  });

  let applications = '';

  await step(page, 'administrator opens the cockpit', async () => {
    await logOut(page);
    await logIn(page, 'demo', 'admin@demo.credo', demoPassword);
    await page.getByRole('link', { name: 'Cockpit' }).click();
    await page.getByRole('heading', { name: 'Lending cockpit', level: 1 }).waitFor();
    const kpi = page.getByRole('button', { name: /^Records behind Applications: / });
    await kpi.waitFor();
    applications = await kpi.locator('.kpi-value').textContent();
    const chart = page.getByRole('img', { name: 'Applications by channel (chart)' });
    await chart.scrollIntoViewIfNeeded();
    // The session cookie authenticates the image request: a refused one would not decode.
    await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await chart.elementHandle());
  });

  await step(page, 'a channel filter applies to every widget', async () => {
    const filtered = page.waitForResponse((r) => r.url().includes('/widgets/headline?') && r.url().includes('filter.channel=online'));
    const chart = page.waitForResponse((r) => r.url().includes('/chart.svg?') && r.url().includes('filter.channel=online'));
    await page.getByRole('checkbox', { name: 'Online' }).check();
    await page.getByRole('button', { name: 'Apply filters' }).click();
    must((await filtered).ok() && (await chart).ok(), 'a filtered widget was refused');
    const kpi = page.getByRole('button', { name: /^Records behind Applications: / });
    await page.waitForFunction(
      ([el, before]) => el.querySelector('.kpi-value')?.textContent !== before,
      [await kpi.elementHandle(), applications],
    );
    applications = await kpi.locator('.kpi-value').textContent();
    must(Number(applications.replace(/\D/g, '')) > 0, `no online applications: ${applications}`);
  });

  await step(page, 'drill into a figure and see its records', async () => {
    await page.getByRole('button', { name: /^Records behind Applications: / }).click();
    const drill = page.getByRole('region', { name: 'Records behind Headline figures: Applications' });
    await drill.waitFor();
    await drill.getByRole('row').nth(1).waitFor();
    const want = Math.min(Number(applications.replace(/\D/g, '')), 20);
    must((await drill.getByRole('row').count()) === want + 1, `expected ${want} records behind ${applications} applications`);
    await page.getByRole('button', { name: 'Show data' }).first().click();
    await page.getByRole('table', { name: 'Application funnel: data' }).waitFor();
  });

  await step(page, 'collector sees the phone masked on the record page', async () => {
    await logOut(page);
    await logIn(page, 'demo', 'collector@demo.credo', demoPassword);
    await page.getByRole('link', { name: 'Loan application' }).click();
    await page.getByRole('heading', { name: 'Loan application: records' }).waitFor();
    await page.getByRole('row').nth(1).getByRole('link').first().click();
    await page.getByRole('heading', { name: 'Loan application: record', level: 1 }).waitFor();
    // The field's own term: the emergency contacts' table has a "Mobile phone" column too.
    const phone = page.locator('.field-row').filter({ has: page.getByRole('term').getByText('Mobile phone', { exact: true }) });
    const value = await phone.locator('dd').textContent();
    must(/^\d{3}\*{4}\d{4}$/.test(value), `mobile phone reads ${value}`);
  });

  await adminSteps({ page, step, logIn, logOut, base });

  await designerSteps({ page, step, logIn, logOut, base });

  await flowSteps({ page, step, logIn, logOut, base });

  await entrySteps({ page, step, logIn, logOut, base });

  await filesSteps({ page, step, logIn, logOut, base });

  await workspaceSteps({ page, step, logIn, logOut, base });

  await columnsSteps({ page, step, logIn, logOut, base });

  await step(page, 'no errors in the page', async () => {
    must(pageErrors.length === 0, `page errors:\n${pageErrors.join('\n')}`);
  });
  await context.close();
}

main()
  .catch((err) => {
    failed++;
    console.error(`FAIL e2e: ${err?.stack ?? err}`);
  })
  .finally(() => {
    console.log(`e2e: ${passed} passed, ${failed} failed`);
    process.exitCode = failed > 0 ? 1 : 0;
  });
