import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { FakeMicrosoft } from './index';

/** A minimal Graph caller for tests of the fake: app tokens from its token endpoint, JSON over HTTPS trusting its CA. */

export interface GraphAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

export class GraphTestClient {
  private readonly ca: string;

  constructor(
    private readonly fake: FakeMicrosoft,
    private readonly app: { clientId: string; clientSecret: string },
  ) {
    this.ca = readFileSync(fake.caCertPath, 'utf8');
  }

  async token(tenantId: string): Promise<string> {
    const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: this.app.clientId, client_secret: this.app.clientSecret, scope: 'https://graph.microsoft.com/.default' });
    const answer = await this.request('POST', `/${tenantId}/oauth2/v2.0/token`, { 'Content-Type': 'application/x-www-form-urlencoded' }, body.toString());
    if (answer.status !== 200) throw new Error(`token request failed: ${answer.text}`);
    return answer.json.access_token;
  }

  /** `path` under /v1.0 ('/subscriptions') or an absolute nextLink. */
  call(token: string, method: string, path: string, json?: unknown, headers: Record<string, string> = {}): Promise<GraphAnswer> {
    const target = path.startsWith('https://') ? path : `/v1.0${path}`;
    const allHeaders = { Authorization: `Bearer ${token}`, ...(json === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers };
    return this.request(method, target, allHeaders, json === undefined ? undefined : JSON.stringify(json));
  }

  private request(method: string, pathOrUrl: string, headers: Record<string, string>, body?: string): Promise<GraphAnswer> {
    return requestFake(this.fake.url, this.ca, method, pathOrUrl, { headers, body });
  }
}

/** One HTTPS exchange with the fake, trusting its CA; the body read as text and, when it is, JSON. */
export function requestFake(
  baseUrl: string,
  ca: string,
  method: string,
  pathOrUrl: string,
  options: { body?: string; headers?: Record<string, string> } = {},
): Promise<GraphAnswer> {
  return new Promise((resolve, reject) => {
    const outgoing = https.request(new URL(pathOrUrl, baseUrl), { method, ca, headers: options.headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json });
      });
    });
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}
