import type { Request, Response } from 'express';
import type { CatalogService } from '../catalog/catalog.service';
import type { ConnectorEntity } from '../connectors/connector.entity';
import type { ConnectorService } from '../connectors/connector.service';
import { isDatabaseFailure } from '../db/database-failure';
import { GatewayError } from '../errors';
import { parseAdminConsentAnswer } from '../microsoft/admin-consent';
import type { Logger } from '../observability/logger';
import type { TenantEntity } from '../tenants/tenant.entity';
import { TenantStatus } from '../tenants/tenant.entity';
import { TenantNotRecorded, type TenantService } from '../tenants/tenant.service';
import { isGuid } from '../validation/input-rules';
import { CONSENT_PAGE_CSP, consentPage, type ConsentPageBrand } from './consent-page';
import { ConsentRefused, ConsentStateError, type ConsentService } from './consent.service';

interface CallbackDeps {
  connectors: ConnectorService;
  catalog: CatalogService;
  consent: ConsentService;
  tenants: TenantService;
  logger: Logger;
}

/**
 * GET /callback/:slug — where Microsoft sends the admin, twice: with the admin-consent answer,
 * then back from the OpenID Connect sign-in that proves the tenant. Only then is the tenant
 * recorded. Every refusal records nothing and says why; with a returnTo, the app is told too.
 */
export function consentCallbackHandler(deps: CallbackDeps) {
  return async (req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Content-Security-Policy', CONSENT_PAGE_CSP);
    const slug = String(req.params.slug);
    const page = (status: number, title: string, paragraphs: string[], ok = false, brand: ConsentPageBrand | null = null) =>
      res.status(status).type('html').send(consentPage({ title, paragraphs, ok, brand }));
    const refused = (reason: string) => deps.logger.warn({ connector: slug.slice(0, 64), reason }, 'consent callback refused');

    let connector: ConnectorEntity;
    let brand: ConsentPageBrand | null;
    try {
      connector = await deps.connectors.find({ slug });
      brand = await brandOf(deps.catalog, connector);
    } catch (error) {
      if (error instanceof GatewayError && error.code === 'NOT_FOUND') {
        refused('unknown connector');
        return page(404, 'Unknown connector', [`No connector has the slug "${slug.slice(0, 64)}". Check the redirect URI registered in Azure.`]);
      }
      return unavailable(res, deps.logger, error);
    }

    try {
      const state = typeof req.query.state === 'string' ? req.query.state : undefined;
      const payload = deps.consent.verifyState(connector, state);
      if (typeof req.query.code === 'string') {
        const { microsoftTenantId, returnTo } = await deps.consent.finishSignIn(connector, payload, req.query.code);
        const tenant = await deps.tenants.recordConsent(connector, microsoftTenantId).catch((error: unknown) => {
          if (!(error instanceof TenantNotRecorded)) throw error;
          throw new ConsentRefused('error', 'tenant_not_usable', 'Consent did not complete', `${error.reason} Nothing was recorded.`, returnTo);
        });
        deps.logger.info({ connectorId: connector.id, tenantId: tenant.id, status: tenant.status }, 'admin consent recorded');
        if (returnTo) return res.redirect(302, withParameters(returnTo, { xkit_tenant_id: tenant.id, microsoft_tenant_id: tenant.microsoftTenantId, status: tenant.status }));
        return page(200, ...resultPage(deps.tenants, tenant, connector), tenant.status === TenantStatus.CONSENTED, brand);
      }

      const answer = parseAdminConsentAnswer(req.query);
      if (answer.outcome === 'refused') {
        const { returnTo } = await deps.consent.consume(payload);
        const signingIn = payload.s === 'signin';
        throw new ConsentRefused(
          signingIn ? 'error' : 'declined',
          answer.error,
          signingIn ? 'The sign-in did not complete' : answer.error === 'access_denied' ? 'Consent was declined' : 'Consent did not complete',
          `Microsoft answered: ${answer.error}${answer.description ? ` (${answer.description})` : ''}. Nothing was recorded. An administrator of the organisation can try again with a new consent link.`,
          returnTo,
        );
      }
      if (!answer.tenant || !isGuid(answer.tenant)) {
        refused('no valid tenant in the consent answer');
        return page(400, 'Consent did not complete', ["Microsoft's answer has no valid tenant (directory) ID. Nothing was recorded; ask for a new consent link."], false, brand);
      }
      // Microsoft's `tenant` is only a claim; the sign-in that follows proves it.
      return res.redirect(302, await deps.consent.startSignIn(connector, payload, answer.tenant.toLowerCase()));
    } catch (error) {
      if (error instanceof ConsentStateError) {
        refused(error.message);
        return page(400, 'This consent link cannot be used', [error.message], false, brand);
      }
      if (error instanceof ConsentRefused) {
        refused(`${error.outcome}: ${error.errorCode}`);
        if (error.returnTo) return res.redirect(302, withParameters(error.returnTo, { status: error.outcome, error: error.errorCode, error_description: error.message }));
        return page(400, error.title, [error.message], false, brand);
      }
      if (error instanceof GatewayError) {
        refused(error.code);
        return page(400, 'Consent did not complete', [error.message], false, brand);
      }
      return unavailable(res, deps.logger, error);
    }
  };
}

function resultPage(tenants: TenantService, tenant: TenantEntity, connector: ConnectorEntity): [string, string[]] {
  const name = tenant.displayName ?? `Directory ${tenant.microsoftTenantId}`;
  if (tenant.status !== TenantStatus.CONSENTED) {
    return [`${name}: consent recorded, but not usable yet`, [tenant.statusReason ?? 'Microsoft did not issue a token.', 'The developer can check again later with refreshTenant.']];
  }
  const missing = tenants.missingScopes(tenant, connector);
  return [
    `${name} is connected`,
    [
      `${connector.name} can now read the organisation's data with these permissions: ${tenant.grantedScopes.join(', ') || 'none'}.`,
      ...(missing.length ? [`Not granted: ${missing.join(', ')}. Add them to the app's API permissions in Azure, then consent again.`] : []),
      'You can close this window.',
    ],
  ];
}

async function brandOf(catalog: CatalogService, connector: ConnectorEntity): Promise<ConsentPageBrand | null> {
  const entry = (await catalog.forConnectors([connector.id])).get(connector.id);
  return entry ? { name: entry.name, logoUrl: entry.logoUrl } : null;
}

/** The database (or something else the admin cannot fix) failed: 503 when it is the database, 500 for a bug. */
function unavailable(res: Response, logger: Logger, error: unknown) {
  const database = isDatabaseFailure(error);
  logger.error({ err: error }, database ? 'consent callback: database unavailable' : 'consent callback failed');
  if (database) res.setHeader('Retry-After', '30');
  const title = database ? 'Temporarily unavailable' : 'Something went wrong';
  const text = database
    ? 'The gateway cannot reach its database right now. Nothing was recorded; open the consent link again in a minute.'
    : 'The gateway could not record the consent; it was logged. Try again with a new consent link.';
  return res.status(database ? 503 : 500).type('html').send(consentPage({ title, paragraphs: [text], ok: false }));
}

function withParameters(url: string, parameters: Record<string, string>): string {
  const target = new URL(url);
  for (const [name, value] of Object.entries(parameters)) target.searchParams.set(name, value);
  return target.toString();
}
