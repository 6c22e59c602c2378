// End-to-end steps of record entry, the record list's filters and the dashboard
// designer, run by shell.e2e.mjs in the real browser against the real server: the demo
// administrator creates a customer (a mistake caught in the browser first, nothing sent),
// changes it, meets a version conflict made meanwhile by a second session through the
// API and resolves it field by field; filters and sorts a record list kept in the URL;
// then copies the cockpit, adds a widget, publishes the copy and sees its chart.
import { apiSession, demoPassword, must } from './server.mjs';

/** entrySteps runs the scenario; step, logIn and logOut are shell.e2e.mjs's own. */
export async function entrySteps({ page, step, logIn, logOut, base }) {
  const posts = [];
  const onRequest = (r) => {
    if (r.method() === 'POST' && r.url().includes('/forms/customer/records')) posts.push(r.url());
  };
  page.on('request', onRequest);
  const status = page.locator('.entry-status');
  const problemsOf = async (input) => {
    const ids = ((await input.getAttribute('aria-describedby')) ?? '').split(' ');
    return page.locator(`[id="${ids.at(-1)}"]`).textContent();
  };
  let recordUrl = '';

  await step(page, 'entry: a mistake is caught in the browser, nothing is sent', async () => {
    if ((await page.getByRole('button', { name: /^(Log out|退出登录)$/ }).count()) > 0) await logOut(page);
    await page.getByLabel(/^(Language|语言)$/).selectOption('en');
    await logIn(page, 'demo', 'admin@demo.credo', demoPassword);
    await page.getByRole('heading', { name: 'Forms', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Customer', exact: true }).click();
    await page.getByRole('heading', { name: 'Customer: records' }).waitFor();
    await page.getByRole('link', { name: 'New record' }).click();
    await page.getByRole('heading', { name: 'Customer: new record' }).waitFor();
    const name = page.getByLabel('Customer name *');
    await name.fill('x');
    await page.getByLabel('Mobile phone *').fill('12345');
    await page.getByRole('button', { name: 'Create record' }).click();
    await status.filter({ hasText: 'Some values need attention' }).waitFor();
    must((await name.getAttribute('aria-invalid')) === 'true', 'the name is not marked invalid');
    must((await problemsOf(name)) === 'At least 2 characters.', `under the name: ${await problemsOf(name)}`);
    const phone = page.getByLabel('Mobile phone *');
    must((await problemsOf(phone)) === 'Not a valid phone number.', `under the phone: ${await problemsOf(phone)}`);
    must(posts.length === 0, `the browser sent ${posts.length} request(s) with a mistake in them`);
  });

  await step(page, 'entry: the administrator creates a customer', async () => {
    await page.getByLabel('Customer name *').fill('E2E 客户');
    await page.getByRole('radio', { name: 'Individual' }).check();
    await page.getByLabel('ID number *').fill('11010119900307123X');
    await page.getByLabel('Mobile phone *').fill('13800000000');
    await page.getByLabel('Address').fill('北京市朝阳区建国路一号');
    await page.getByRole('button', { name: 'Create record' }).click();
    await page.getByRole('status').filter({ hasText: 'Record created.' }).waitFor();
    await page.getByRole('heading', { name: 'Customer: record', level: 1 }).waitFor();
    recordUrl = page.url();
    must(posts.length === 1, `expected one create, saw ${posts.length}`);
  });

  await step(page, 'entry: the administrator changes the customer', async () => {
    await page.getByRole('link', { name: 'Edit', exact: true }).click();
    await page.getByRole('heading', { name: 'Customer: change record' }).waitFor();
    await page.getByLabel('Notes').fill('Met in the branch.');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('status').filter({ hasText: 'Changes saved (version 2).' }).waitFor();
    const notes = page.locator('.field-row').filter({ has: page.getByText('Notes', { exact: true }) });
    await notes.getByText('Met in the branch.').waitFor();
  });

  await step(page, 'entry: a version conflict made by a second session is resolved field by field', async () => {
    await page.getByRole('link', { name: 'Edit', exact: true }).click();
    await page.getByRole('heading', { name: 'Customer: change record' }).waitFor();
    await page.getByText('Version 2 read at').waitFor();
    // Meanwhile someone else saves the same record (version 2 → 3).
    const other = await apiSession(base, 'admin@demo.credo');
    const path = new URL(recordUrl).pathname.replace(/^\/forms\//, '/api/v1/t/demo/forms/');
    const res = await fetch(base + path, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json', cookie: other.cookie, 'X-CSRF-Token': other.csrf },
      body: JSON.stringify({ version: 2, data: { address: '北京市海淀区中关村二号', notes: 'Called back by phone.' } }),
    });
    must(res.ok, `the second session's change: HTTP ${res.status} ${await res.text()}`);

    await page.getByLabel('Address').fill('上海市浦东新区世纪大道三号');
    await page.getByRole('button', { name: 'Save changes' }).click();
    const panel = page.getByRole('region', { name: 'Someone else saved this record meanwhile' });
    await panel.waitFor();
    const address = panel.getByRole('row').filter({ hasText: 'Address' });
    const cells = await address.getByRole('cell').allTextContents();
    must(cells[0] === '北京市海淀区中关村二号' && cells[1].startsWith('上海市浦东新区世纪大道三号'), `address row: ${cells.join(' | ')}`);
    must(await address.getByRole('radio', { name: 'Keep mine' }).isChecked(), 'my address is not kept by default');
    const notes = panel.getByRole('row').filter({ hasText: 'Notes' });
    must(await notes.getByRole('radio', { name: 'Take theirs' }).isChecked(), 'their notes are not taken by default');
    await panel.getByRole('button', { name: 'Use these values' }).click();
    await status.filter({ hasText: 'save on top of version 3' }).waitFor();
    must((await page.getByLabel('Notes').inputValue()) === 'Called back by phone.', 'their notes are not in the form');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('status').filter({ hasText: 'Changes saved (version 4).' }).waitFor();
    const row = (label) => page.locator('.field-row').filter({ has: page.getByText(label, { exact: true }) }).locator('dd');
    must((await row('Address').textContent()) === '上海市浦东新区世纪大道三号', `address now: ${await row('Address').textContent()}`);
    must((await row('Notes').textContent()) === 'Called back by phone.', `notes now: ${await row('Notes').textContent()}`);
  });

  await step(page, 'records: a filter and a sort kept in the URL', async () => {
    await page.goto(base + '/forms/loan_application/records');
    await page.getByRole('heading', { name: 'Loan application: records' }).waitFor();
    await page.getByText('Filters', { exact: true }).click();
    const filters = page.getByRole('form', { name: 'Filters' });
    await filters.getByRole('button', { name: 'Add a condition' }).click();
    const row = filters.getByRole('group', { name: 'Filters 1' });
    await row.getByLabel('Field').selectOption({ label: 'Channel' });
    await row.getByLabel('Value').selectOption({ label: 'Online' });
    await filters.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/f=channel%3Aeq%3Aonline/);
    await page.getByRole('button', { name: 'All columns', exact: false }).click();
    await page.getByRole('button', { name: /^Amount/ }).click();
    await page.waitForURL(/sort=amount/);
    await page.reload();
    await page.getByRole('columnheader', { name: /Channel/ }).waitFor();
    await page.getByRole('row').nth(1).waitFor();
    const header = (await page.getByRole('columnheader').allTextContents()).map((s) => s.trim());
    const channel = header.indexOf('Channel');
    const amount = header.findIndex((h) => h.startsWith('Amount'));
    must(channel >= 0 && amount >= 0, `headers: ${header.join(', ')}`);
    const rows = await page.getByRole('row').evaluateAll((trs) => trs.slice(1).map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    must(rows.length > 0 && rows.every((r) => r[channel] === 'Online'), `channels: ${rows.map((r) => r[channel]).join(', ')}`);
    const amounts = rows.map((r) => Number(String(r[amount]).replace(/[^\d.]/g, '')));
    must(amounts.every((a, i) => i === 0 || a >= amounts[i - 1]), `amounts not ascending: ${amounts.join(', ')}`);
    must((await page.getByRole('columnheader', { name: /^Amount/ }).getAttribute('aria-sort')) === 'ascending', 'the amount column is not marked sorted');
  });

  await step(page, 'dashboard designer: the administrator copies the cockpit', async () => {
    await page.goto(base + '/forms');
    await page.getByRole('link', { name: 'Dashboard designs' }).click();
    await page.getByRole('heading', { name: 'Dashboard designs', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Lending cockpit' }).waitFor();
    await page.getByLabel('Key', { exact: true }).fill('e2e_cockpit');
    await page.getByLabel('Name (English)').fill('E2E cockpit');
    await page.getByLabel('Start from').selectOption({ label: 'A copy of Lending cockpit' });
    await page.getByRole('button', { name: 'Create the dashboard' }).click();
    await page.getByRole('heading', { name: 'Design: E2E cockpit', level: 1 }).waitFor();
    must((await page.locator('li.widget-card').count()) === 13, `the copy has ${await page.locator('li.widget-card').count()} widgets`);
  });

  await step(page, 'dashboard designer: a widget added, a bad field refused on its input, published', async () => {
    await page.getByLabel('Type of the new widget').selectOption({ label: 'Bar chart' });
    await page.getByLabel('Its form').selectOption({ label: 'Loan application' });
    await page.getByRole('button', { name: 'Add widget' }).click();
    const card = page.locator('li.widget-card').last();
    await card.getByLabel('Title (English)').fill('Applications by product (e2e)');
    const field = card.getByLabel('Field', { exact: true });
    await field.fill('produce');
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.locator('.designer-status').filter({ hasText: 'Not published: 1 problem(s)' }).waitFor();
    must((await field.getAttribute('aria-invalid')) === 'true', 'the unknown field is not marked');
    await card.getByText('Not a field of the widget’s form that can be used here.').waitFor();
    await field.fill('product');
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.locator('.designer-status').filter({ hasText: 'Published as version 1.' }).waitFor();
    await card.getByRole('button', { name: 'Preview' }).click();
    const chart = card.getByRole('img', { name: 'Applications by product (e2e) (chart)' });
    await chart.waitFor();
    await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await chart.elementHandle());
  });

  await step(page, 'dashboard designer: the published copy shows the new chart', async () => {
    await page.getByRole('link', { name: 'Open the dashboard' }).click();
    await page.getByRole('heading', { name: 'E2E cockpit', level: 1 }).waitFor();
    // The chart loads lazily and its tile may be drawn again as the filters arrive: scroll
    // the chart into view and look for a drawn one by its name, whichever element it is.
    const name = 'Applications by product (e2e) (chart)';
    await page.waitForFunction((alt) => {
      const img = [...document.querySelectorAll('img')].find((i) => i.alt === alt);
      if (!img) return false;
      img.scrollIntoView({ block: 'center' });
      return img.complete && img.naturalWidth > 0;
    }, name);
  });

  page.off('request', onRequest);
}
