import type { Page } from 'playwright-core';
import { adminConsents, readyConnector, tenantsOf } from '../integration/scenario';
import { screenshot, signIn } from './browser';
import { useStage } from './stage';

/**
 * The tenant browser's search and free/busy. They use the "Scheduling data" fields of the
 * contract (Tenant.users(search:), User.schedule), which the console asks for in requests of
 * their own; these tests pass once the gateway and the fake Microsoft have them.
 */

const stage = useStage();
let tenantId: string;
let yusufId: string;

beforeAll(async () => {
  const { connector } = await readyConnector(stage.gateway, stage.fake);
  const organisation = stage.fake.addTenant({
    displayName: 'Woodgrove Bank',
    users: [{ displayName: 'Zelda Quartermaine' }, { displayName: 'Yusuf Okonkwo' }, ...Array.from({ length: 10 }, () => ({}))],
  });
  const answer = await adminConsents(stage.gateway, stage.fake, connector.id, organisation.tenantId);
  if (answer.status !== 200) throw new Error(`consent failed: ${answer.body}`);
  [{ id: tenantId }] = await tenantsOf(stage.gateway, connector.id);
  yusufId = organisation.users[1]!.id;
});

/** Searches, and waits for the answer: the matching users, "no user matches", or the notice of a gateway without search. */
async function search(page: Page, term: string) {
  await page.getByRole('searchbox', { name: 'Search users' }).fill(term);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  const unsupported = page.getByText('This gateway cannot search users yet');
  await page.getByRole('list', { name: `Users matching ${term}` }).or(page.getByText(`No user matches "${term}".`)).or(unsupported).waitFor();
  expect(await unsupported.count()).toBe(0);
}

describe('searching a tenant\'s users and reading free/busy', () => {
  it('finds a user by name and opens their calendar, and says so when nobody matches', async () => {
    const { page } = await stage.browser.newSession();
    await signIn(page, stage.gateway.url, stage.gateway.adminKey, `#/tenants/${tenantId}`);
    await search(page, 'Nobody-By-This-Name');
    await page.getByText('No user matches "Nobody-By-This-Name".').waitFor();

    await search(page, 'Zelda');
    const matches = page.getByRole('list', { name: 'Users matching Zelda' }).getByRole('listitem');
    await expect(matches.allTextContents()).resolves.toEqual([expect.stringContaining('Zelda Quartermaine')]);
    await page.getByRole('link', { name: 'Zelda Quartermaine', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Zelda Quartermaine' }).waitFor();
    await page.getByRole('region', { name: 'Calendars' }).getByRole('listitem').first().waitFor();
    await page.getByRole('region', { name: 'This week\'s events' }).locator('.event').first().waitFor();
  });

  it('shows a user\'s week of free/busy', async () => {
    const { page } = await stage.browser.newSession();
    await signIn(page, stage.gateway.url, stage.gateway.adminKey, `#/tenants/${tenantId}/users/${yusufId}`);
    await page.getByRole('heading', { level: 1, name: 'Yusuf Okonkwo' }).waitFor();

    const freeBusy = page.getByRole('region', { name: 'Free/busy' });
    const unsupported = freeBusy.getByText('This gateway has no free/busy yet');
    await freeBusy.getByRole('heading', { name: 'Busy times' }).or(unsupported).or(freeBusy.getByRole('alert')).waitFor();
    expect(await unsupported.count()).toBe(0);
    // One row a day of the week, one cell per half hour.
    await expect(freeBusy.locator('.free-busy-row:has(.slot)').count()).resolves.toBe(7);
    await expect(freeBusy.locator('.free-busy-row:has(.slot)').first().locator('.slot').count()).resolves.toBe(48);
    await expect(freeBusy.getByRole('alert').count()).resolves.toBe(0);
    await screenshot(page, 'user-free-busy', { of: freeBusy });
  });
});
