import { AuthError, type INetworkModule, type NetworkRequestOptions, type NetworkResponse } from '@azure/msal-node';
import { MicrosoftHttp, MicrosoftUnreachable } from './microsoft-http';

/**
 * msal-node's network module on the gateway's own pooled HTTP client, so token requests reuse
 * the same keep-alive connections as Graph calls and have a deadline (msal's default client sends
 * token POSTs without one, and a hung sign-in endpoint would hold every request waiting on that
 * tenant's single in-flight token promise).
 */
export function createMsalNetworkClient(http: MicrosoftHttp): INetworkModule {
  return {
    sendGetRequestAsync: <T>(url: string, options?: NetworkRequestOptions) => send<T>(http, url, 'GET', options),
    sendPostRequestAsync: <T>(url: string, options?: NetworkRequestOptions) => send<T>(http, url, 'POST', options),
  };
}

async function send<T>(http: MicrosoftHttp, url: string, method: 'GET' | 'POST', options: NetworkRequestOptions | undefined): Promise<NetworkResponse<T>> {
  let answer;
  try {
    answer = await http.send(method, url, { headers: options?.headers ?? {}, body: method === 'POST' ? (options?.body ?? '') : undefined });
  } catch (error) {
    // msal recognises this code; the token service maps it to 'unreachable'.
    const detail = error instanceof MicrosoftUnreachable ? error.message : error instanceof Error ? error.message : String(error);
    throw new AuthError('network_error', '', detail);
  }
  try {
    return { headers: answer.headers, body: JSON.parse(answer.text) as T, status: answer.status };
  } catch {
    throw new AuthError('token_parsing_error', '', `the answer (HTTP ${answer.status}) was not JSON`);
  }
}
