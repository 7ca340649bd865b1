import { ConfidentialClientApplication } from '@azure/msal-node';
import type { MicrosoftHttp } from './microsoft-http';
import { createMsalNetworkClient } from './msal-network-client';

/** One app registration's credentials, as the identity platform needs them. */
export interface AppCredentials {
  connectorId: string;
  clientId: string;
  clientSecret: string;
  /** changes whenever client id or secret change */
  version: string;
}

/**
 * An msal client for one app registration, against any identity-platform host (the public
 * cloud, a sovereign cloud, or the test fake), on the gateway's pooled HTTP client.
 */
export function confidentialClient(loginUrl: string, credentials: AppCredentials, http: MicrosoftHttp): ConfidentialClientApplication {
  return new ConfidentialClientApplication({
    auth: {
      clientId: credentials.clientId,
      clientSecret: credentials.clientSecret,
      // Every request names its tenant; this default only keeps msal away from the public cloud.
      authority: `${loginUrl}/organizations`,
      // Without this, msal asks login.microsoftonline.com for instance discovery of any
      // other host (a sovereign cloud, a corporate proxy, the test fake).
      knownAuthorities: [new URL(loginUrl).host],
      authorityMetadata: endpointMetadataFor(loginUrl),
    },
    system: { networkClient: createMsalNetworkClient(http) },
  });
}

/**
 * The OpenID endpoints msal-node hard-codes for Microsoft's own hosts, for whichever host
 * `loginUrl` names. Given in the config, msal makes no discovery call per connector, and an
 * unknown tenant is reported by the token endpoint (AADSTS90002) as it is in the public cloud,
 * instead of as a failed discovery that looks like a network error.
 */
function endpointMetadataFor(loginUrl: string): string {
  return JSON.stringify({
    token_endpoint: `${loginUrl}/{tenantid}/oauth2/v2.0/token`,
    authorization_endpoint: `${loginUrl}/{tenantid}/oauth2/v2.0/authorize`,
    end_session_endpoint: `${loginUrl}/{tenantid}/oauth2/v2.0/logout`,
    jwks_uri: `${loginUrl}/{tenantid}/discovery/v2.0/keys`,
    issuer: `${loginUrl}/{tenantid}/v2.0`,
  });
}
