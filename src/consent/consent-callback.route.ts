import type { Request, Response } from 'express';
import { ConnectorService } from '../connectors/connector.service';
import { isGuid } from '../validation/input-rules';
import { GatewayError } from '../errors';
import { parseAdminConsentAnswer } from '../microsoft/admin-consent';
import type { Logger } from '../observability/logger';
import { TenantStatus } from '../tenants/tenant.entity';
import { TenantService } from '../tenants/tenant.service';
import { consentPage } from './consent-page';
import { ConsentService, ConsentStateError } from './consent.service';

/**
 * GET /callback/:slug — where Microsoft sends the admin after the consent screen. Every check
 * happens before the state is used up or anything is written; a refusal is a 400 page that says why.
 */
export function consentCallbackHandler(deps: {
  connectors: ConnectorService;
  consent: ConsentService;
  tenants: TenantService;
  logger: Logger;
}) {
  const refuse = (res: Response, status: number, title: string, ...paragraphs: string[]) =>
    res.status(status).type('html').send(consentPage({ title, paragraphs, ok: false }));

  return async (req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Referrer-Policy', 'no-referrer');
    const slug = String(req.params.slug);
    const connector = await deps.connectors.find({ slug }).catch(() => null);
    if (!connector) {
      return refuse(res, 404, 'Unknown connector', `No connector has the slug "${slug.slice(0, 64)}". Check the redirect URI registered in Azure.`);
    }
    try {
      const payload = deps.consent.verifyState(connector, typeof req.query.state === 'string' ? req.query.state : undefined);
      const answer = parseAdminConsentAnswer(req.query);
      if (answer.outcome === 'refused') {
        await deps.consent.consumeState(payload);
        const declined = answer.error === 'access_denied';
        return refuse(
          res,
          400,
          declined ? 'Consent was declined' : 'Consent did not complete',
          `Microsoft answered: ${answer.error}${answer.description ? ` (${answer.description})` : ''}.`,
          'Nothing was recorded. An administrator of the organisation can try again with a new consent link.',
        );
      }
      if (!answer.tenant || !isGuid(answer.tenant)) {
        return refuse(res, 400, 'Consent did not complete', 'Microsoft\'s answer has no valid tenant (directory) ID. Nothing was recorded; ask for a new consent link.');
      }
      const { returnTo } = await deps.consent.consumeState(payload);
      const tenant = await deps.tenants.recordConsent(connector, answer.tenant.toLowerCase());
      deps.logger.info({ connectorId: connector.id, tenantId: tenant.id, status: tenant.status }, 'admin consent recorded');

      if (returnTo) {
        const target = new URL(returnTo);
        target.searchParams.set('xkit_tenant_id', tenant.id);
        target.searchParams.set('microsoft_tenant_id', tenant.microsoftTenantId);
        target.searchParams.set('status', tenant.status);
        return res.redirect(302, target.toString());
      }
      const name = tenant.displayName ?? `Directory ${tenant.microsoftTenantId}`;
      if (tenant.status === TenantStatus.CONSENTED) {
        const missing = deps.tenants.missingScopes(tenant, connector);
        return res.type('html').send(
          consentPage({
            ok: true,
            title: `${name} is connected`,
            paragraphs: [
              `${connector.name} can now read the organisation's data with these permissions: ${tenant.grantedScopes.join(', ') || 'none'}.`,
              ...(missing.length
                ? [`Not granted: ${missing.join(', ')}. Add them to the app's API permissions in Azure, then consent again.`]
                : []),
              'You can close this window.',
            ],
          }),
        );
      }
      return res.type('html').send(
        consentPage({
          ok: false,
          title: `${name}: consent recorded, but not usable yet`,
          paragraphs: [tenant.statusReason ?? 'Microsoft did not issue a token.', 'The developer can check again later with refreshTenant.'],
        }),
      );
    } catch (error) {
      if (error instanceof ConsentStateError) return refuse(res, 400, 'This consent link cannot be used', error.message);
      if (error instanceof GatewayError) return refuse(res, 400, 'Consent did not complete', error.message);
      deps.logger.error({ err: error }, 'consent callback failed');
      return refuse(res, 500, 'Something went wrong', 'The gateway could not record the consent. Try again with a new consent link.');
    }
  };
}
