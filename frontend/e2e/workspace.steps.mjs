// End-to-end steps of the workspace's gaps, run by shell.e2e.mjs in the real browser
// against the real server: a clerk who may create loan applications but neither read
// their definition nor three income fields fills the form in from the access answer
// alone (sections drawn, a mistake caught in the browser, nothing sent, no definition
// asked for), and is offered no designer, cockpit or administration page but the import,
// a designer's address saying it is not for them; the administrator drags a flow step,
// saves, reopens the flow and finds it where it was put, stored in the definition; and
// the designs lists name every form, flow and dashboard in the reader's language.
import { apiSession, demoPassword, must } from './server.mjs';

const clerkEmail = 'clerk@demo.credo';
const hidden = ['monthly_income', 'other_income', 'monthly_debt'];

/** adminApi is the demo administrator's second session through the API, for setting up. */
async function adminApi(base) {
  const { send } = await apiSession(base, 'admin@demo.credo');
  return (method, path, body) => send(method, `/t/demo${path}`, body);
}

/** workspaceSteps runs the scenario; step, logIn and logOut are shell.e2e.mjs's own. */
export async function workspaceSteps({ page, step, logIn, logOut, base }) {
  const asked = [];
  const onRequest = (r) => asked.push(`${r.method()} ${new URL(r.url()).pathname}`);

  await step(page, 'workspace: a clerk fills in a loan application from the access answer alone', async () => {
    const call = await adminApi(base);
    const obj = 'form:loan_application';
    await call('POST', '/roles', { key: 'intake_clerk', name: 'Intake clerk' });
    await call('PUT', '/roles/intake_clerk/permissions', {
      permissions: [
        { object: obj, action: 'create' },
        { object: `${obj}/*`, action: 'update' },
        ...hidden.map((h) => ({ object: `${obj}/field:${h}`, action: '*', effect: 'deny' })),
      ],
    });
    await call('POST', '/users', { email: clerkEmail, name: 'Intake clerk', password: demoPassword, roles: ['intake_clerk'] });

    if ((await page.getByRole('button', { name: /^(Log out|退出登录)$/ }).count()) > 0) await logOut(page);
    await page.getByLabel(/^(Language|语言)$/).selectOption('en');
    await logIn(page, 'demo', clerkEmail, demoPassword);
    await page.getByRole('heading', { name: 'Forms', level: 1 }).waitFor();
    page.on('request', onRequest);
    const access = page.waitForResponse((r) => r.url().endsWith('/forms/loan_application/access'));
    await page.getByRole('link', { name: 'New record in Loan application' }).click();
    const answer = await (await access).text();
    for (const h of hidden) must(!answer.includes(h), `the access answer names ${h}`);
    const name = page.getByLabel('Applicant name *');
    await name.waitFor();
    for (const section of ['Identity', 'Income and debts', 'Loan', 'Emergency contacts']) {
      await page.getByRole('group', { name: section, exact: true }).waitFor();
    }
    must((await page.getByLabel(/^Monthly income/).count()) === 0, 'a hidden field has an input');
    await name.fill('x');
    await page.getByLabel('Amount (CNY) *').fill('10');
    await page.getByRole('button', { name: 'Create record' }).click();
    await page.getByText('Some values need attention; see the marked fields. Nothing was sent.').waitFor();
    must((await name.getAttribute('aria-invalid')) === 'true', 'the short name is not marked');
    page.off('request', onRequest);
    const sent = asked.filter((r) => r.includes('/definitions/') || r.startsWith('POST') && r.includes('/records'));
    must(sent.length === 0, `asked the server: ${sent.join(', ')}`);
  });

  await step(page, 'workspace: the clerk is offered no designer or cockpit, and a designer’s address says so', async () => {
    await page.getByRole('link', { name: 'Forms', exact: true }).click();
    await page.getByRole('heading', { name: 'Forms', level: 1 }).waitFor();
    for (const name of ['Designs', 'Cockpit', 'New form', 'Form designs', 'Dashboard designs']) {
      must((await page.getByRole('link', { name, exact: true }).count()) === 0, `the clerk is offered ${name}`);
    }
    await page.getByRole('link', { name: 'Administration' }).click();
    const nav = page.getByRole('navigation', { name: 'Administration' });
    await nav.getByRole('link', { name: 'Import' }).waitFor();
    const areas = await nav.getByRole('link').allTextContents();
    must(areas.join() === 'Import', `administration offered: ${areas.join(', ')}`);
    await page.goto(base + '/designer/flows/loan_approval');
    await page.getByRole('heading', { name: 'Not allowed', level: 1 }).waitFor();
    await page.getByText('Your role may not use this page.', { exact: false }).waitFor();
  });

  await step(page, 'workspace: a dragged flow step keeps its place in the saved definition', async () => {
    await logOut(page);
    await logIn(page, 'demo', 'admin@demo.credo', demoPassword);
    await page.getByRole('link', { name: 'Designs', exact: true }).click();
    await page.getByRole('link', { name: 'Flow designs' }).click();
    await page.getByRole('link', { name: 'Design Loan approval' }).click();
    const canvas = page.getByRole('region', { name: 'Flow canvas' });
    const review = canvas.getByRole('button', { name: 'Approval: Credit review', exact: true });
    await review.waitFor();
    await canvas.getByRole('button', { name: 'Fit the flow into view' }).click();
    // Where React Flow draws the step: its translate(x, y) in canvas pixels.
    const where = () => review.evaluate((el) => el.style.transform.replace(/\s+/g, ''));
    const before = await where();
    const box = await review.boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2 + 30, { steps: 10 });
    await page.mouse.up();
    const moved = await where();
    must(moved !== before, `the step did not move: ${moved}`);
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.locator('.designer-status').filter({ hasText: 'Draft saved' }).waitFor();
    const draft = await page.evaluate(async () => (await fetch('/api/v1/t/demo/definitions/flow/loan_approval', { credentials: 'same-origin' })).json());
    const node = draft.body.nodes.find((n) => n.id === 'credit_review');
    must(node.position && Number.isInteger(node.position.x) && Number.isInteger(node.position.y), `stored position: ${JSON.stringify(node.position)}`);
    must(moved === `translate(${node.position.x}px,${node.position.y}px)`, `drawn at ${moved}, stored at ${JSON.stringify(node.position)}`);
    await page.reload();
    await review.waitFor();
    must((await where()) === moved, `reopened at ${await where()}, left at ${moved}`);
  });

  await step(page, 'workspace: the designs lists name forms, flows and dashboards in the reader’s language', async () => {
    await page.getByLabel('Language').selectOption('zh-CN');
    await page.goto(base + '/designer/flows');
    const flow = page.getByRole('row').filter({ has: page.getByRole('cell', { name: 'loan_approval', exact: true }) });
    await flow.getByRole('link', { name: '设计贷款审批', exact: true }).waitFor();
    must((await flow.textContent()).includes('发布后有修改'), `the flow's saved draft is not said to be ahead: ${await flow.textContent()}`);
    await page.goto(base + '/designer/forms');
    const loan = page.getByRole('row').filter({ has: page.getByRole('cell', { name: 'loan_application', exact: true }) });
    await loan.getByRole('link', { name: '设计 贷款申请', exact: true }).waitFor();
    await page.goto(base + '/designer/dashboards');
    const cockpit = page.getByRole('row').filter({ has: page.getByRole('cell', { name: 'cockpit', exact: true }) });
    const named = (await cockpit.getByRole('link').first().textContent()).trim();
    must(named !== 'cockpit' && named.length > 0, `the cockpit is listed as ${named}`);
    await page.getByLabel('语言').selectOption('en');
  });
}
