import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { FakeMicrosoft } from '../test/fake-microsoft';

/**
 * The same work done the way a hand-rolled integration often does it: list users page by page,
 * then one GET /users/{id}/calendars per user, `concurrency` at a time, on keep-alive connections.
 */
export async function naiveFanOut(fake: FakeMicrosoft, token: string, options: { concurrency: number }) {
  const agent = new https.Agent({ keepAlive: true, maxSockets: options.concurrency, ca: readFileSync(fake.caCertPath) });
  const getJson = (path: string) =>
    new Promise<any>((resolve, reject) => {
      https
        .get(`${fake.url}/v1.0${path}`, { agent, headers: { authorization: `Bearer ${token}` } }, (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk) => (body += chunk));
          response.on('end', () => (response.statusCode === 200 ? resolve(JSON.parse(body)) : reject(new Error(`${response.statusCode} ${body}`))));
        })
        .on('error', reject);
    });

  fake.resetCounters();
  const started = performance.now();
  let next: string | null = '/users?$select=id&$top=999';
  let users = 0;
  while (next) {
    const page: any = await getJson(next);
    const ids: string[] = page.value.map((user: { id: string }) => user.id);
    let index = 0;
    const worker = async () => {
      while (index < ids.length) {
        const id = ids[index++]!;
        await getJson(`/users/${id}/calendars?$select=id,name&$top=999`);
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, worker));
    users += ids.length;
    next = page['@odata.nextLink'] ? new URL(page['@odata.nextLink']).href.replace(`${fake.url}/v1.0`, '') : null;
  }
  const wallMs = performance.now() - started;
  agent.destroy();
  return { users, graphCalls: fake.counters.graphRequests, wallMs };
}
