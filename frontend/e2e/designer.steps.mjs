// End-to-end steps of the form designer, run by shell.e2e.mjs in the real browser
// against the real server: the demo administrator builds a new form from the palette
// (buttons, a mouse drag, the keyboard), meets the server's refusal of a bad pattern on
// that very field, fixes it, publishes, finds the new columns on the form's records
// page, publishes a second version and rolls back to the first.
import { demoPassword, must } from './server.mjs';

const form = { key: 'e2e_intake', zh: '端到端进件', en: 'E2E intake' };

/** expectValue waits until the input holds value (a panel re-rendering for a new selection). */
async function expectValue(input, value, timeout = 10_000) {
  const until = Date.now() + timeout;
  for (;;) {
    const got = await input.inputValue();
    if (got === value) return;
    if (Date.now() > until) throw new Error(`input holds ${JSON.stringify(got)}, not ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** designerSteps runs the designer scenario; step, logIn and logOut are shell.e2e.mjs's own. */
export async function designerSteps({ page, step, logIn, logOut, base }) {
  const panel = page.getByRole('complementary', { name: 'Properties' });
  const canvas = page.getByRole('region', { name: 'Form layout' });
  const status = page.locator('.designer-status');
  const label = (what) => panel.getByLabel(`${what} (English)`, { exact: true });
  const fieldOrder = () => canvas.locator('[data-field]').evaluateAll((els) => els.map((e) => e.getAttribute('data-field')));
  const announced = (text, timeout) => page.locator('[aria-live]').filter({ hasText: text }).waitFor({ state: 'attached', timeout });
  const columnHeaders = async () => (await page.getByRole('columnheader').allTextContents()).map((s) => s.trim());

  await step(page, 'designer: the administrator starts a new form', async () => {
    // Whoever the earlier steps left signed in (if anyone), in whichever language.
    if ((await page.getByRole('button', { name: /^(Log out|退出登录)$/ }).count()) > 0) await logOut(page);
    await page.getByLabel(/^(Language|语言)$/).selectOption('en');
    await logIn(page, 'demo', 'admin@demo.credo', demoPassword);
    await page.getByRole('heading', { name: 'Forms', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'New form' }).click();
    await page.getByRole('heading', { name: 'New form', level: 1 }).waitFor();
    await page.getByLabel('Key', { exact: true }).fill(form.key);
    await page.getByLabel('Title (中文)').fill(form.zh);
    await page.getByLabel('Title (English)').fill(form.en);
    await page.getByRole('button', { name: 'Create the form' }).click();
    await page.getByRole('heading', { name: `Design: ${form.en}`, level: 1 }).waitFor();
    must(page.url().endsWith(`/designer/forms/${form.key}`), `at ${page.url()}`);
  });

  await step(page, 'designer: fields from the palette, by button and by dragging', async () => {
    await page.getByRole('button', { name: 'Add Phone' }).click();
    await label('Label').fill('Mobile phone');
    await page.getByRole('button', { name: 'Add Select' }).click();
    await label('Label').fill('Channel');
    await panel.getByLabel('Value of option 1').fill('branch');
    await panel.getByLabel('Option 1 (English)').fill('Branch');
    await panel.getByLabel('Value of option 2').fill('online');
    await panel.getByLabel('Option 2 (English)').fill('Online');
    await page.getByRole('button', { name: 'Add Section' }).click();
    await label('Title').fill('Finances');
    // A real pointer drag: the Number type from the palette into the empty new section.
    const handle = page.getByRole('button', { name: 'Drag Number onto the form' });
    const zone = canvas.locator('.section-zone').nth(1);
    // Both ends in view (the palette stays put while the page scrolls), measured where they are now.
    await zone.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    const from = await handle.boundingBox();
    const to = await zone.boundingBox();
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(from.x + from.width / 2 + 30, from.y + from.height / 2 + 10, { steps: 5 });
    await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 20 });
    await announced('Number is over Finances.');
    await page.mouse.up();
    // Select the dropped field and wait for the panel to show it: until then the panel
    // may still hold the field selected before the drag, whose label would be overwritten.
    await canvas.getByRole('button', { name: 'Number', exact: true }).click();
    await expectValue(label('Label'), 'Number');
    await label('Label').fill('Monthly income');
    await panel.getByLabel('Required').check();
    await panel.getByLabel('Smallest value').fill('0');
    const order = await fieldOrder();
    must(JSON.stringify(order) === JSON.stringify(['phone', 'select', 'number']), `fields on the canvas: ${order}`);
  });

  await step(page, 'designer: the keyboard moves Channel before Mobile phone', async () => {
    // The first section has two columns: Channel sits right of Mobile phone.
    await canvas.getByRole('button', { name: 'Move Channel', exact: true }).focus();
    // Each key waits for what a screen reader hears: the sensor listens only once the item is picked up.
    await page.keyboard.press('Space');
    await announced('Channel is over Channel.');
    // The sensor moves among the targets measured since the pickup; on a loaded machine the
    // first arrow may come before they are, and then moves nothing: press it again, as a
    // person would, until the move is heard.
    for (let tries = 1; ; tries++) {
      await page.keyboard.press('ArrowLeft');
      try {
        await announced('Channel is over Mobile phone.', 4000);
        break;
      } catch (err) {
        if (tries === 3) throw err;
      }
    }
    await page.keyboard.press('Space');
    await page.waitForFunction(() => document.querySelector('[data-field]')?.getAttribute('data-field') === 'select');
    const order = await fieldOrder();
    must(JSON.stringify(order) === JSON.stringify(['select', 'phone', 'number']), `fields on the canvas: ${order}`);
  });

  await step(page, 'designer: a bad pattern is refused on its field', async () => {
    await canvas.getByRole('button', { name: 'Mobile phone', exact: true }).click();
    const pattern = panel.getByLabel('Pattern (regular expression)');
    await pattern.fill('^1[3-9\\d{9}$');
    await page.getByRole('button', { name: 'Publish' }).click();
    await status.filter({ hasText: 'Not published: one problem' }).waitFor();
    must((await pattern.getAttribute('aria-invalid')) === 'true', 'the pattern is not marked invalid');
    const problem = await panel.locator('[id$="-pattern-problems"]').textContent();
    must(problem.startsWith('Not a regular expression the server understands'), `problem under the pattern: ${problem}`);
    await canvas.getByText('Problems: 1').waitFor();
  });

  await step(page, 'designer: fixed and published', async () => {
    const pattern = panel.getByLabel('Pattern (regular expression)');
    await pattern.fill('^1[3-9]\\d{9}$');
    must((await pattern.getAttribute('aria-invalid')) === null, 'the fixed pattern is still marked invalid');
    await page.getByRole('button', { name: 'Publish' }).click();
    await status.filter({ hasText: 'Published as version 1.' }).waitFor();
  });

  await step(page, 'designer: the records page shows the new columns', async () => {
    await page.getByRole('link', { name: 'Open the records' }).click();
    await page.getByRole('heading', { name: `${form.en}: records` }).waitFor();
    await page.getByRole('columnheader', { name: 'Channel' }).waitFor();
    const headers = await columnHeaders();
    must(JSON.stringify(headers.slice(0, 3)) === JSON.stringify(['Channel', 'Mobile phone', 'Monthly income']), `columns: ${headers}`);
  });

  await step(page, 'designer: a second version, then rolled back to the first', async () => {
    await page.goto(`${base}/designer/forms/${form.key}`);
    await page.getByRole('heading', { name: `Design: ${form.en}`, level: 1 }).waitFor();
    await canvas.getByRole('button', { name: 'Monthly income', exact: true }).click();
    await page.getByRole('button', { name: 'Add Text' }).click();
    await label('Label').fill('Remarks');
    await page.getByLabel('Note for the new version').fill('Remarks added');
    await page.getByRole('button', { name: 'Publish' }).click();
    await status.filter({ hasText: 'Published as version 2.' }).waitFor();
    await page.getByRole('link', { name: 'Open the records' }).click();
    await page.getByRole('columnheader', { name: 'Remarks' }).waitFor();

    await page.goBack();
    await page.getByRole('heading', { name: `Design: ${form.en}`, level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Versions' }).click();
    const versions = page.getByRole('table', { name: 'Versions' });
    await versions.getByRole('rowheader', { name: '2 (current)' }).waitFor();
    // shell.e2e.mjs accepts the confirmation dialog.
    await versions.getByRole('button', { name: 'Roll back to version 1' }).click();
    await status.filter({ hasText: 'Rolled back: version 3 publishes version 1 again' }).waitFor();
    await versions.getByRole('rowheader', { name: /^3 \(current\)/ }).waitFor();
    must((await canvas.getByRole('button', { name: 'Remarks', exact: true }).count()) === 0, 'the designer still shows Remarks');

    await page.getByRole('link', { name: 'Open the records' }).click();
    await page.getByRole('columnheader', { name: 'Channel' }).waitFor();
    const headers = await columnHeaders();
    must(!headers.includes('Remarks'), `columns after the rollback: ${headers}`);
  });
}
