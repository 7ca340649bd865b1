import { readFileSync } from 'node:fs';
import https from 'node:https';

/**
 * The floor: the least a Node program can do to read "all users with their calendars" from
 * Graph, written by hand for this one job. It sends exactly the calls the gateway sends (pages
 * of 980 users, then the page's calendars in `$batch` calls of 20, 8 in flight) on node's own
 * https with a keep-alive agent, and parses every answer, but has no GraphQL, no retries, no
 * DataLoader, no logging and no metrics. The gateway is measured against it.
 *
 * Runs as its own process, so that its CPU is its own (bench/floor-process.ts starts it):
 *   node dist/bench/floor-fan-out.js <fake Microsoft url> <CA file>
 * and keeps its connections and its JIT-compiled code between runs, as a long-running client
 * would. Each IPC message { token } runs one fan-out; the answer is a FloorRun.
 */

export interface FloorRun {
  users: number;
  wallMs: number;
  /** process.cpuUsage(), user + system, over the run: microsecond resolution, all threads. */
  cpuMs: number;
}

export interface FloorRequest {
  token: string;
}

const PAGE_SIZE = 980;
const BATCH_SIZE = 20;
const IN_FLIGHT = 8;
/** The user fields the gateway always asks for (the issue leaves them fixed). */
const USER_SELECT = 'id,displayName,mail,userPrincipalName,jobTitle';
/** What the bench query asks of a calendar, and all a client that reads `calendars { id name }` needs. */
const CALENDAR_SELECT = 'id,name';

interface Calendar {
  id: string;
  name: string;
}

class GraphOverHttps {
  private readonly agent: https.Agent;
  private readonly host: URL;

  constructor(graphUrl: string, ca: Buffer) {
    this.host = new URL(graphUrl);
    this.agent = new https.Agent({ keepAlive: true, maxSockets: IN_FLIGHT, ca });
  }

  /** One request; resolves with the parsed JSON of a 200, rejects on anything else. */
  send(token: string, method: 'GET' | 'POST', path: string, body?: string): Promise<any> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
      if (body !== undefined) headers['content-type'] = 'application/json';
      const request = https.request(
        { hostname: this.host.hostname, port: this.host.port, path: `/v1.0${path}`, method, headers, agent: this.agent },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (response.statusCode === 200) resolve(JSON.parse(text));
            else reject(new Error(`${method} ${path} answered ${response.statusCode}: ${text.slice(0, 200)}`));
          });
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  }
}

/** Every user's calendars, page by page: the result is built and then dropped, as a client would after using it. */
async function allUsersWithCalendars(graph: GraphOverHttps, token: string): Promise<number> {
  let next: string | null = `/users?$select=${USER_SELECT}&$top=${PAGE_SIZE}`;
  let users = 0;
  while (next) {
    const page = await graph.send(token, 'GET', next);
    const ids: string[] = page.value.map((user: { id: string }) => user.id);
    const calendarsOf = await calendarsOfPage(graph, token, ids);
    users += ids.filter((id) => calendarsOf.has(id)).length;
    const link: string | undefined = page['@odata.nextLink'];
    next = link ? link.slice(link.indexOf('/v1.0/') + '/v1.0'.length) : null;
  }
  return users;
}

/** The page's users in `$batch` calls of 20, at most 8 in flight. */
async function calendarsOfPage(graph: GraphOverHttps, token: string, ids: string[]): Promise<Map<string, Calendar[]>> {
  const calendarsOf = new Map<string, Calendar[]>();
  const batches: string[][] = [];
  for (let start = 0; start < ids.length; start += BATCH_SIZE) batches.push(ids.slice(start, start + BATCH_SIZE));
  let nextBatch = 0;
  const sender = async () => {
    while (nextBatch < batches.length) {
      const batch = batches[nextBatch++]!;
      const requests = batch.map((id, index) => ({
        id: String(index),
        method: 'GET',
        url: `/users/${encodeURIComponent(id)}/calendars?$select=${CALENDAR_SELECT}&$top=999`,
      }));
      const answer = await graph.send(token, 'POST', '/$batch', JSON.stringify({ requests }));
      for (const item of answer.responses as Array<{ id: string; status: number; body: any }>) {
        if (item.status !== 200 || item.body['@odata.nextLink']) throw new Error(`the floor reads one page of calendars; item answered ${item.status}`);
        const calendars = (item.body.value as Calendar[]).map((calendar) => ({ id: calendar.id, name: calendar.name }));
        calendarsOf.set(batch[Number(item.id)]!, calendars);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, batches.length) }, sender));
  return calendarsOf;
}

async function timedFanOut(graph: GraphOverHttps, request: FloorRequest): Promise<FloorRun> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const users = await allUsersWithCalendars(graph, request.token);
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return { users, wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

if (require.main === module) {
  const [graphUrl, caCertPath] = process.argv.slice(2);
  if (!graphUrl || !caCertPath || !process.send) throw new Error('usage: fork(floor-fan-out.js, [graphUrl, caCertPath]) with an IPC channel');
  const graph = new GraphOverHttps(graphUrl, readFileSync(caCertPath));
  process.on('message', (request: FloorRequest) => {
    timedFanOut(graph, request).then(
      (run) => process.send!({ run }),
      (error: Error) => process.send!({ error: error.stack ?? error.message }),
    );
  });
  process.on('disconnect', () => process.exit(0));
}
