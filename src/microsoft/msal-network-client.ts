import { AuthError, type INetworkModule, type NetworkRequestOptions, type NetworkResponse } from '@azure/msal-node';

/**
 * msal-node's network module, the same as its default (Node's global fetch, so keep-alive and
 * NODE_EXTRA_CA_CERTS behave as everywhere else) but with a deadline: the default client sends
 * token POSTs without a timeout, and a hung sign-in endpoint would hold every GraphQL request
 * waiting on that tenant's single in-flight token promise forever.
 */
export function createMsalNetworkClient(timeoutMs: number): INetworkModule {
  return {
    sendGetRequestAsync: <T>(url: string, options?: NetworkRequestOptions, timeout?: number) =>
      send<T>(url, 'GET', options, Math.min(timeout ?? timeoutMs, timeoutMs)),
    sendPostRequestAsync: <T>(url: string, options?: NetworkRequestOptions) => send<T>(url, 'POST', options, timeoutMs),
  };
}

async function send<T>(
  url: string,
  method: 'GET' | 'POST',
  options: NetworkRequestOptions | undefined,
  timeoutMs: number,
): Promise<NetworkResponse<T>> {
  const signal = AbortSignal.timeout(timeoutMs);
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: options?.headers,
      body: method === 'POST' ? (options?.body ?? '') : undefined,
      signal,
    });
  } catch (error) {
    // msal recognises these codes; the service maps them to 'unreachable'.
    throw new AuthError('network_error', '', describeFetchFailure(error, timeoutMs));
  }
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  try {
    return { headers, body: (await response.json()) as T, status: response.status };
  } catch (error) {
    if (signal.aborted) throw new AuthError('network_error', '', describeFetchFailure(error, timeoutMs));
    throw new AuthError('token_parsing_error', '', `the answer (HTTP ${response.status}) was not JSON`);
  }
}

function describeFetchFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer within ${timeoutMs} ms`;
  }
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined;
  return cause ?? (error instanceof Error ? error.message : String(error));
}
