// End-to-end run of the app shell against the real server: builds the Go binary with
// the UI embedded, starts it on a free port over a fresh SQLite file with the demo
// tenant, and drives Debian's Chromium through playwright-core. Each step saves a
// screenshot under .ci/artifacts/e2e/.
//
//   npm run build && npm run e2e
//
// Environment: CHROMIUM (browser, default /usr/bin/chromium), CREDO_BIN (use this
// binary instead of building one; it must embed the current build).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const frontendDir = resolve(import.meta.dirname, '..');
const repo = resolve(frontendDir, '..');
const artifacts = join(repo, '.ci', 'artifacts', 'e2e');
const browserPath = process.env.CHROMIUM || '/usr/bin/chromium';
const demoPassword = 'credo-demo-2026'; // printed by `credo serve` with CREDO_DEMO=true
const platformEmail = 'admin@credo.local';
const platformPassword = randomBytes(12).toString('hex');

let passed = 0;
let failed = 0;
let shot = 0;

async function main() {
  mkdirSync(artifacts, { recursive: true });
  if (!existsSync(browserPath)) throw new Error(`no browser at ${browserPath}: apt-get install chromium, or set CHROMIUM`);
  const work = mkdtempSync(join(tmpdir(), 'credo-e2e-'));
  let server;
  let browser;
  try {
    const bin = process.env.CREDO_BIN ? resolve(process.env.CREDO_BIN) : buildBinary(work);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    server = startServer(bin, work, port);
    await waitReady(base, server);
    browser = await chromium.launch({ executablePath: browserPath, headless: true, args: ['--no-sandbox'] });
    await run(browser, base);
  } finally {
    await browser?.close();
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
    }
    rmSync(work, { recursive: true, force: true });
  }
}

function buildBinary(work) {
  if (!existsSync(join(frontendDir, 'dist', 'index.html'))) throw new Error('no frontend/dist: run `npm run build` first');
  const bin = join(work, 'credo');
  console.log('building the credo binary with the UI embedded…');
  const res = spawnSync('go', ['build', '-tags', 'embedui', '-o', bin, './cmd/credo'], { cwd: repo, stdio: 'inherit' });
  if (res.status !== 0) throw new Error('go build failed');
  return bin;
}

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

function startServer(bin, work, port) {
  const log = createWriteStream(join(artifacts, 'server.log'));
  const child = spawn(bin, ['serve'], {
    cwd: work,
    env: {
      ...process.env,
      CREDO_ADDR: `127.0.0.1:${port}`,
      CREDO_SQLITE_PATH: join(work, 'credo.db'),
      CREDO_DEMO: 'true',
      CREDO_ADMIN_EMAIL: platformEmail,
      CREDO_ADMIN_PASSWORD: platformPassword,
      CREDO_PLUGIN_DIR: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  return child;
}

async function waitReady(base, server) {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the server exited (${server.exitCode}); see ${join(artifacts, 'server.log')}`);
    try {
      if ((await fetch(`${base}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the server did not get ready in 180 s');
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

function must(cond, message) {
  if (!cond) throw new Error(message);
}

async function logIn(page, tenant, email, password) {
  await page.getByLabel(/^(Tenant|租户)$/).fill(tenant);
  await page.getByLabel(/^(Email|邮箱)$/).fill(email);
  await page.getByLabel(/^(Password|密码)$/).fill(password);
  await page.getByRole('button', { name: /^(Log in|登录)$/ }).click();
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
