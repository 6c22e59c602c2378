// End-to-end steps of sub-table column permissions, run by shell.e2e.mjs in the real
// browser against the real server: the demo administrator gives a role, through the
// API, the loan applications' emergency contacts with the phone column hidden and the
// relation read-only, and finds those levels in the permission grid; a user of that
// role sees the contacts on the record page without the phones, edits a contact's name
// (relation read-only, no way to remove a saved row), saves, and the phones the user
// never saw are still stored, as the administrator reads them through the API.
import { apiSession, demoPassword, must } from './server.mjs';

const role = 'contacts_checker';
const roleName = 'Contacts checker';
const email = 'contacts@demo.credo';
const form = 'loan_application';
const contacts = `form:${form}/field:emergency_contacts`;

/** adminApi is the demo administrator's second session through the API, for setting up and checking. */
async function adminApi(base) {
  const { send } = await apiSession(base, 'admin@demo.credo');
  return (method, path, body) => send(method, `/t/demo${path}`, body);
}

/** columnsSteps runs the scenario; step, logIn and logOut are shell.e2e.mjs's own. */
export async function columnsSteps({ page, step, logIn, logOut, base }) {
  let call;
  let record; // the loan application edited, as the administrator read it first
  const newName = '陈列测试';

  await step(page, 'columns: a role gets the contacts with the phone hidden and the relation read-only, as the grid shows', async () => {
    call = await adminApi(base);
    await call('POST', '/roles', { key: role, name: roleName });
    await call('PUT', `/roles/${role}/permissions`, {
      permissions: [
        { object: `form:${form}`, action: 'read' },
        { object: `form:${form}`, action: 'update' },
        { object: `form:${form}/*`, action: 'read' },
        { object: contacts, action: 'update' },
        { object: `${contacts}.phone`, action: '*', effect: 'deny' },
        { object: `${contacts}.relation`, action: 'update', effect: 'deny' },
      ],
    });
    await call('POST', '/users', { email, name: roleName, password: demoPassword, roles: [role] });
    const { records } = await call('GET', `/forms/${form}/records?limit=50`);
    record = records.find((r) => Array.isArray(r.data.emergency_contacts) && r.data.emergency_contacts.length > 0 && r.data.emergency_contacts.every((c) => c.phone));
    must(record, 'no demo loan application with emergency contacts');

    if ((await page.getByRole('button', { name: /^(Log out|退出登录)$/ }).count()) > 0) await logOut(page);
    await page.getByLabel(/^(Language|语言)$/).selectOption('en');
    await logIn(page, 'demo', 'admin@demo.credo', demoPassword);
    await page.getByRole('heading', { name: 'Forms', level: 1 }).waitFor();
    await page.goto(`${base}/admin/permissions?form=${form}&role=${role}`);
    await page.getByRole('table', { name: 'Permissions on Loan application' }).waitFor();
    const level = (name) => page.getByRole('combobox', { name: `${name} for ${roleName}`, exact: true });
    const want = {
      'Emergency contacts': 'edit',
      'Emergency contacts: Name': 'edit',
      'Emergency contacts: Relation': 'read',
      'Emergency contacts: Mobile phone': 'hidden',
      'Mobile phone': 'read',
    };
    for (const [name, value] of Object.entries(want)) {
      const got = await level(name).inputValue();
      must(got === value, `the grid shows ${name} as ${got}, not ${value}`);
    }
    await level('Emergency contacts: Relation').scrollIntoViewIfNeeded();
  });

  await step(page, 'columns: the record page shows the contacts as a table without the hidden phones', async () => {
    await logOut(page);
    await logIn(page, 'demo', email, demoPassword);
    await page.getByRole('heading', { name: 'Forms', level: 1 }).waitFor();
    await page.goto(`${base}/forms/${form}/records/${record.id}`);
    await page.getByRole('heading', { name: 'Loan application: record', level: 1 }).waitFor();
    const table = page.getByRole('table', { name: 'Emergency contacts', exact: true });
    await table.waitFor();
    const headers = await table.getByRole('columnheader').allTextContents();
    must(headers.join() === 'Name,Relation', `the contacts are headed ${headers.join(', ')}`);
    const rows = record.data.emergency_contacts;
    must((await table.getByRole('row').count()) === rows.length + 1, `expected ${rows.length} contacts and the header`);
    const first = await table.getByRole('row').nth(1).textContent();
    must(first.includes(rows[0].name), `the first contact reads ${first}, not ${rows[0].name}`);
    const text = await page.locator('main').textContent();
    for (const c of rows) must(!text.includes(c.phone), `the page shows the hidden phone ${c.phone}`);
  });

  await step(page, 'columns: the edit form shows the relation read-only, no phone and no way to remove a saved row', async () => {
    await page.getByRole('link', { name: 'Edit', exact: true }).click();
    await page.getByRole('heading', { name: 'Loan application: change record' }).waitFor();
    const table = page.getByRole('group', { name: 'Emergency contacts *', exact: true });
    const row = table.getByRole('group', { name: 'Row 1', exact: true });
    const name = row.getByRole('textbox', { name: 'Name *', exact: true });
    must((await name.inputValue()) === record.data.emergency_contacts[0].name, `the name input holds ${await name.inputValue()}`);
    const relation = row.getByRole('textbox', { name: 'Relation', exact: true });
    must(!(await relation.isEditable()), 'the relation can be edited');
    must((await row.getByRole('combobox').count()) === 0, 'the relation is offered as a choice');
    must((await table.getByText('Mobile phone').count()) === 0, 'the hidden phone column appears in the form');
    must((await table.getByRole('button', { name: /^Remove row/ }).count()) === 0, 'a saved row may be removed');
  });

  await step(page, 'columns: a changed name is saved, and the phones never shown are kept', async () => {
    const table = page.getByRole('group', { name: 'Emergency contacts *', exact: true });
    await table.getByRole('group', { name: 'Row 1', exact: true }).getByRole('textbox', { name: 'Name *', exact: true }).fill(newName);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'Loan application: record', level: 1 }).waitFor();
    await page.getByRole('status').filter({ hasText: /^Changes saved/ }).waitFor();
    await page.getByRole('table', { name: 'Emergency contacts', exact: true }).getByText(newName, { exact: true }).waitFor();

    const stored = (await call('GET', `/forms/${form}/records/${record.id}`)).data.emergency_contacts;
    const was = record.data.emergency_contacts;
    must(stored.length === was.length, `${stored.length} contacts stored, ${was.length} before`);
    must(stored[0].name === newName, `the first contact is stored as ${stored[0].name}`);
    stored.forEach((c, i) => {
      must(c.phone === was[i].phone, `contact ${i + 1}'s phone is stored as ${c.phone}, was ${was[i].phone}`);
      must(c.relation === was[i].relation, `contact ${i + 1}'s relation is stored as ${c.relation}, was ${was[i].relation}`);
      if (i > 0) must(c.name === was[i].name, `contact ${i + 1}'s name is stored as ${c.name}, was ${was[i].name}`);
    });
  });
}
