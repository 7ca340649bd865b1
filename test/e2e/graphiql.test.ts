import { createConnector } from '../integration/scenario';
import { screenshot } from './browser';
import { useStage } from './stage';

const stage = useStage();

describe('GraphiQL, served by the gateway itself', () => {
  it('runs an authenticated query with the internet cut off, and asks nothing of it', async () => {
    const connector = await createConnector(stage.gateway);
    const { page, outsideRequests, pageErrors } = await stage.browser.newSession();
    await page.goto(`${stage.gateway.url}/graphiql`);
    const execute = page.getByRole('button', { name: /Execute query/ });
    // The editors are ready once the default query and headers are drawn in them.
    await page.locator('.graphiql-query-editor').getByText('query Catalog').waitFor();
    await page.locator('section[aria-label="Headers"]').getByText('Bearer <your API key>').waitFor();

    // The user puts the API key in the Headers editor and writes a query that needs it.
    await page.locator('section[aria-label="Headers"] .graphiql-editor:not(.hidden)').click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    // Typed key by key: the editor closes brackets and quotes as they are typed, and types over them.
    await page.keyboard.type(JSON.stringify({ Authorization: `Bearer ${stage.gateway.adminKey}` }));
    await page.locator('.graphiql-query-editor .graphiql-editor').click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.insertText('query Mine { connectors { slug status } }');
    // GraphiQL parses the document after a pause; its tab takes the operation's name once it has.
    await page.getByRole('button', { name: 'Mine', exact: true }).waitFor();
    const answer = page.waitForResponse((response) => response.url().endsWith('/graphql') && response.request().postData()?.includes('Mine') === true);
    await execute.click();
    expect((await answer).status()).toBe(200);
    await page.getByRole('region', { name: 'Result Window' }).getByText(connector.slug).waitFor();
    await screenshot(page, 'graphiql');

    expect(outsideRequests).toEqual([]);
    // A CSP violation or a script error would show here; the page's one inline script runs by hash.
    expect(pageErrors).toEqual([]);
  });

  it('serves the page with a hash-only script policy, compressed and revalidated by ETag', async () => {
    const response = await fetch(`${stage.gateway.url}/graphiql`, { headers: { 'accept-encoding': 'gzip' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-encoding')).toBe('gzip');
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toMatch(/script-src 'sha256-[A-Za-z0-9+/]+=*'(;|$)/);
    expect(policy).toContain("connect-src 'self'");
    expect(policy).not.toContain('unsafe-eval');
    expect(await response.text()).toContain('Xkit gateway · GraphiQL');

    const again = await fetch(`${stage.gateway.url}/graphiql`, { headers: { 'if-none-match': response.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  it('says on /graphql that Sandbox cannot load offline, and links to /graphiql', async () => {
    const { page, outsideRequests } = await stage.browser.newSession();
    await page.goto(`${stage.gateway.url}/graphql`);
    await page.getByRole('heading', { name: 'Apollo Sandbox cannot load here' }).waitFor();
    // Sandbox's own script is the only thing the landing page asks of the internet.
    expect(outsideRequests).toEqual(['https://embeddable-sandbox.cdn.apollographql.com/v2/embeddable-sandbox.umd.production.min.js']);

    await page.getByRole('link', { name: 'Open GraphiQL at /graphiql' }).click();
    await page.getByRole('button', { name: /Execute query/ }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/graphiql');
  });
});
