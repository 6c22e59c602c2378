// End-to-end steps of the flow designer and the rule editor, run by shell.e2e.mjs in the
// real browser against the real server: the demo administrator opens the loan approval
// flow, sees its steps on the canvas, changes the credit review's SLA, meets the server's
// refusal of a bad gateway condition on that very input, fixes it and publishes; then
// adds a rule to the loan applications with the visual builder (amount above 100,000 →
// flag), dry-runs it against a stored application and sees it hold, and publishes.
import { demoPassword, must } from './server.mjs';

/** flowSteps runs the flow and rule scenario; step, logIn and logOut are shell.e2e.mjs's own. */
export async function flowSteps({ page, step, logIn, logOut, base }) {
  const canvas = page.getByRole('region', { name: 'Flow canvas' });
  const panel = page.getByRole('complementary', { name: 'Properties' });
  const status = page.locator('.designer-status');
  const api = (path) => page.evaluate(async (p) => (await fetch(p, { credentials: 'same-origin' })).json(), `/api/v1/t/demo${path}`);

  await step(page, 'flows: the administrator opens the loan approval flow', async () => {
    if ((await page.getByRole('button', { name: /^(Log out|退出登录)$/ }).count()) > 0) await logOut(page);
    await page.getByLabel(/^(Language|语言)$/).selectOption('en');
    await logIn(page, 'demo', 'admin@demo.credo', demoPassword);
    await page.getByRole('heading', { name: 'Forms', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Form designs' }).click();
    await page.getByRole('link', { name: 'Flow designs' }).click();
    await page.getByRole('heading', { name: 'Flow designs', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Design Loan approval' }).click();
    await page.getByRole('heading', { name: 'Flow: Loan approval', level: 1 }).waitFor();
    for (const name of ['Start: Intake', 'Parallel split: Automated checks', 'Credit score: Credit score', 'Gateway: Risk gate', 'Approval: Credit review', 'Task: Sign the contract', 'End: Disbursed']) {
      await canvas.getByRole('button', { name, exact: true }).waitFor();
    }
    // Every connection is drawn once the steps are measured.
    await page.waitForFunction(() => document.querySelectorAll('.react-flow__edge').length === 25, null, { timeout: 10_000 }).catch(async () => {
      throw new Error(`connections drawn: ${await canvas.locator('.react-flow__edge').count()}`);
    });
  });

  await step(page, 'flows: a step dragged aside stays put; the credit review’s SLA changed to 24 hours', async () => {
    // The canvas opens at the flow's top; the whole flow fits once asked.
    await canvas.getByRole('button', { name: 'Fit the flow into view' }).click();
    // A step dragged aside stays where it was put while the flow is edited.
    const intake = canvas.getByRole('button', { name: 'Start: Intake', exact: true });
    const where = () => intake.evaluate((el) => el.style.transform);
    const before = await where();
    const box = await intake.boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 40, box.y + box.height / 2 + 5, { steps: 8 });
    await page.mouse.up();
    const moved = await where();
    must(moved !== before, `the start did not move: ${moved}`);
    await canvas.getByRole('button', { name: 'Approval: Credit review', exact: true }).click();
    await panel.getByRole('heading', { name: 'Step: Approval' }).waitFor();
    const after = panel.getByLabel('After', { exact: true });
    must((await after.inputValue()) === '48h', `SLA read ${await after.inputValue()}`);
    await after.fill('24h');
    must((await where()) === moved, `the moved start went back: ${await where()}`);
  });

  await step(page, 'flows: a bad gateway condition is refused on its input', async () => {
    await canvas.getByRole('button', { name: 'Gateway: Amount gate', exact: true }).click();
    const condition = panel.getByLabel('Condition to limit_approval (CEL)');
    await condition.fill('record.amount >');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await status.filter({ hasText: 'Draft saved. One problem' }).waitFor();
    must((await condition.getAttribute('aria-invalid')) === 'true', 'the condition is not marked invalid');
    const problem = await panel.locator('[id$="-condition-problems"]').textContent();
    must(problem.startsWith('The expression does not parse'), `problem under the condition: ${problem}`);
    await canvas.getByRole('button', { name: 'Gateway: Amount gate', exact: true }).getByText('Problems: 1').waitFor();
  });

  await step(page, 'flows: fixed, saved and published', async () => {
    const condition = panel.getByLabel('Condition to limit_approval (CEL)');
    await condition.fill('record.amount > 300000.0');
    must((await condition.getAttribute('aria-invalid')) === null, 'the fixed condition is still marked invalid');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await status.filter({ hasText: 'Draft saved; ready to publish.' }).waitFor();
    await page.getByLabel('Note for the new version').fill('Faster credit review');
    await page.getByRole('button', { name: 'Publish' }).click();
    await status.filter({ hasText: /Published as version \d+\./ }).waitFor();
    const { versions } = await api('/definitions/flow/loan_approval/versions');
    const latest = await api(`/definitions/flow/loan_approval/versions/${versions.at(-1).version}`);
    const review = latest.body.nodes.find((n) => n.id === 'credit_review');
    must(review.sla.after === '24h' && review.sla.action === 'escalate', `published SLA: ${JSON.stringify(review.sla)}`);
    const gate = latest.body.edges.find((e) => e.from === 'amount_gate' && e.condition);
    must(gate.condition === 'record.amount > 300000.0', `published condition: ${gate.condition}`);
  });

  await step(page, 'rules: a rule added to the loan applications with the visual builder', async () => {
    await page.getByRole('link', { name: 'All flow designs' }).click();
    await page.getByRole('link', { name: 'Form designs' }).click();
    await page.getByRole('link', { name: 'Rule sets' }).click();
    await page.getByRole('heading', { name: 'Rule sets', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Rules of Loan application' }).click();
    await page.getByRole('heading', { name: 'Rules: Loan application', level: 1 }).waitFor();
    const editor = page.getByRole('region', { name: 'Rule' });
    await page.getByRole('button', { name: 'Add a rule' }).click();
    await editor.getByLabel('Key', { exact: true }).fill('large_amount');
    await editor.getByLabel('Title (中文)').fill('大额申请标记');
    await editor.getByLabel('Title (English)').fill('Flag large amounts');
    await editor.getByRole('button', { name: 'Add a comparison' }).click();
    const leaf = editor.getByRole('group', { name: 'Comparison 1' });
    await leaf.getByLabel('Field', { exact: true }).selectOption('amount');
    await leaf.getByLabel('Comparison', { exact: true }).selectOption('gt');
    await leaf.getByLabel('Value', { exact: true }).fill('100000');
    await editor.getByLabel('Flag', { exact: true }).fill('large_amount');
  });

  await step(page, 'rules: the dry run against a large application holds', async () => {
    const pick = page.getByLabel('Record', { exact: true });
    const options = await pick.locator('option').evaluateAll((os) => os.map((o) => ({ value: o.value, text: o.textContent })));
    const big = options.find((o) => {
      const m = /\(amount\): (\d+(\.\d+)?)/.exec(o.text);
      return m && Number(m[1]) > 100000;
    });
    must(big, `no application above 100,000 among ${options.length - 1}`);
    await pick.selectOption(big.value);
    await page.getByRole('button', { name: 'Dry run' }).click();
    await page.getByText('The condition holds.').waitFor();
    await page.getByText('The rule would fire on this record.').waitFor();
    await page.getByText('flag it large_amount').waitFor();
  });

  await step(page, 'rules: published', async () => {
    await page.getByRole('button', { name: 'Publish' }).click();
    await status.filter({ hasText: /Published as version \d+\./ }).waitFor();
    const { versions } = await api('/definitions/rule/loan_application/versions');
    const latest = await api(`/definitions/rule/loan_application/versions/${versions.at(-1).version}`);
    const rule = latest.body.rules.find((r) => r.key === 'large_amount');
    must(JSON.stringify(rule.condition) === JSON.stringify({ all: [{ field: 'amount', op: 'gt', value: 100000 }] }), `published condition: ${JSON.stringify(rule?.condition)}`);
    must(latest.body.rules.length === 7, `published rules: ${latest.body.rules.length}`);
  });
}
