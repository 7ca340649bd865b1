import { get } from '../integration/harness';
import { consentedTenant, createConnector, readyConnector, tenantsOf } from '../integration/scenario';
import { signIn } from './browser';
import { updateConnector, useStage } from './stage';

/** What goes wrong, and that the pages say what to do about it. */

const stage = useStage();

describe('the console when things go wrong', () => {
  it('refuses a wrong API key beside the field, and keeps nothing', async () => {
    const { page } = await stage.browser.newSession();
    await page.goto(`${stage.gateway.url}/console`);
    const key = page.getByLabel('API key', { exact: true });
    await key.fill(`${stage.gateway.adminKey}x`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('The gateway did not accept this API key.').waitFor();
    await expect(key.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.evaluate(() => document.activeElement?.getAttribute('name'))).resolves.toBe('apiKey');
    await expect(page.evaluate(() => sessionStorage.length + localStorage.length)).resolves.toBe(0);
    await expect(page.getByRole('button', { name: 'Sign out' }).isVisible()).resolves.toBe(false);
  });

  it('shows the API\'s error under Client ID when it is not a GUID, and saves nothing', async () => {
    const connector = await createConnector(stage.gateway);
    const { page } = await stage.browser.newSession();
    await signIn(page, stage.gateway.url, stage.gateway.adminKey, `#/connectors/${connector.id}`);
    const clientId = page.getByLabel('Client ID', { exact: true });
    await clientId.fill('my-app-name');
    await page.getByLabel('Client secret', { exact: true }).fill('Xy7Q~a-valid-looking-secret-value');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText(/clientId must be the Application \(client\) ID GUID/).waitFor();
    await expect(clientId.getAttribute('aria-invalid')).resolves.toBe('true');
    // The error is tied to the field, and the field has the focus, so it is read out.
    const describedBy = (await clientId.getAttribute('aria-describedby'))!.split(' ');
    const errorText = await page.locator(`[id="${describedBy[describedBy.length - 1]}"]`).textContent();
    expect(errorText).toMatch(/Application \(client\) ID GUID/);
    await expect(page.evaluate(() => document.activeElement?.getAttribute('name'))).resolves.toBe('clientId');

    const after = (await stage.gateway.gql(`query($id: ID!) { connector(id: $id) { clientId hasClientSecret } }`, { id: connector.id })).data.connector;
    expect(after).toEqual({ clientId: null, hasClientSecret: false });
  });

  it('says so when the customer\'s admin declines consent from the catalog, and records no tenant', async () => {
    const { connector } = await readyConnector(stage.gateway, stage.fake);
    await updateConnector(stage.gateway, connector.id, { catalog: { name: 'Declined Calendars', published: true } });
    stage.fake.addTenant({ displayName: 'Fabrikam' });
    stage.fake.setConsentAnswer({ error: 'access_denied' });

    const { page } = await stage.browser.newSession();
    await page.goto(`${stage.gateway.url}/catalog`);
    await page.getByRole('link', { name: 'Connect Declined Calendars' }).click();
    await page.getByRole('heading', { name: 'Consent was declined' }).waitFor();
    await page.getByText('Nothing was recorded.').waitFor();
    expect(await tenantsOf(stage.gateway, connector.id)).toEqual([]);

    await signIn(page, stage.gateway.url, stage.gateway.adminKey, `#/connectors/${connector.id}`);
    await page.getByText('No organisation has consented yet.').waitFor();
  });

  it('shows a tenant whose consent was revoked with Microsoft\'s reason and what to do', async () => {
    const { connector, app, organisation, tenant: recorded } = await consentedTenant(stage.gateway, stage.fake);
    stage.fake.revokeConsent(organisation.tenantId, app.clientId, { invalidateIssuedTokens: true });
    const { page } = await stage.browser.newSession();
    await signIn(page, stage.gateway.url, stage.gateway.adminKey, `#/connectors/${connector.id}`);
    const tenant = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: recorded.displayName }) });
    await tenant.getByText('Connected', { exact: true }).waitFor();
    await tenant.getByRole('button', { name: 'Refresh' }).click();
    await tenant.getByText('Consent revoked', { exact: true }).waitFor();
    await tenant.getByText('What Microsoft said:').waitFor();
    await tenant.getByText(/Send its admin a new consent link/).waitFor();
    await expect(tenant.getByRole('link', { name: 'Browse users' }).count()).resolves.toBe(0);
  });

  it('answers /connect with a clear page for unknown, unpublished and unfinished connectors', async () => {
    const unknown = await get(`${stage.gateway.url}/connect/no-such-connector`);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toContain('No published connection is called &quot;no-such-connector&quot;');

    const { connector: draft } = await readyConnector(stage.gateway, stage.fake);
    const unpublished = await get(`${stage.gateway.url}/connect/${draft.slug}`);
    expect(unpublished.status).toBe(404);
    expect(unpublished.body).toContain('Nothing to connect here');

    const unfinished = await createConnector(stage.gateway);
    await updateConnector(stage.gateway, unfinished.id, { catalog: { name: 'Half Done', published: true } });
    const incomplete = await get(`${stage.gateway.url}/connect/${unfinished.slug}`);
    expect(incomplete.status).toBe(503);
    expect(incomplete.body).toContain('Half Done is not ready yet');
    const catalog = await get(`${stage.gateway.url}/catalog`);
    expect(catalog.body).toContain('Not available yet');
    expect(catalog.body).not.toContain(`/connect/${unfinished.slug}`);

    const { connector: live } = await readyConnector(stage.gateway, stage.fake);
    await updateConnector(stage.gateway, live.id, { catalog: { published: true } });
    const badHint = await get(`${stage.gateway.url}/connect/${live.slug}?tenant=${encodeURIComponent('not a tenant')}`);
    expect(badHint.status).toBe(400);
    expect(badHint.body).toContain('tenantHint must be');
    const elsewhere = await get(`${stage.gateway.url}/connect/${live.slug}?returnTo=${encodeURIComponent('https://evil.example.com/')}`);
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body).toContain('is not allowed');
    // The catalog passes returnTo on to its Connect buttons, for a SaaS that sends its admins there.
    const returnTo = `${stage.gateway.url}/done`;
    const listed = await get(`${stage.gateway.url}/catalog?returnTo=${encodeURIComponent(returnTo)}`);
    expect(listed.body).toContain(`href="/connect/${live.slug}?returnTo=${encodeURIComponent(returnTo)}"`);
    const started = await get(`${stage.gateway.url}/connect/${live.slug}?returnTo=${encodeURIComponent(returnTo)}`);
    expect(started.status).toBe(302);
    expect(started.location!.startsWith(`${stage.fake.url}/organizations/v2.0/adminconsent?`)).toBe(true);
    expect(started.location).toContain(`client_id=${live.clientId}`);
  });

  it('serves pages with a strict policy and assets with long-lived, versioned URLs', async () => {
    const page = await fetch(`${stage.gateway.url}/console`);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self';");
    const html = await page.text();
    const script = /src="(\/console\/assets\/[0-9a-f]{12}\/app\.js)"/.exec(html)![1]!;

    const asset = await fetch(`${stage.gateway.url}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const css = await fetch(`${stage.gateway.url}${script.replace('app.js', 'site.css')}`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');

    const stale = await fetch(`${stage.gateway.url}/console/assets/000000000000/app.js`);
    expect(stale.status).toBe(404);
    expect(stale.headers.get('cache-control')).toBe('no-store');
  });
});
