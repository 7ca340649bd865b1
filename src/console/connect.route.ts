import type { Request, Response } from 'express';
import type { CatalogService } from '../catalog/catalog.service';
import type { ConnectorService } from '../connectors/connector.service';
import { consentPage } from '../consent/consent-page';
import type { ConsentService } from '../consent/consent.service';
import { GatewayError } from '../errors';
import type { Logger } from '../observability/logger';

/**
 * GET /connect/:slug — the "Connect" button of the public catalog. Makes a fresh single-use
 * consent link for a published connector and sends the browser to Microsoft with it. Unknown and
 * unpublished connectors get the same 404, so the catalog does not reveal drafts.
 */
export function connectHandler(deps: { connectors: ConnectorService; catalog: CatalogService; consent: ConsentService; logger: Logger }) {
  const page = (res: Response, status: number, title: string, ...paragraphs: string[]) =>
    res.status(status).type('html').send(consentPage({ title, paragraphs, ok: false }));

  return async (req: Request, res: Response) => {
    // Each visit mints a state: no cache may replay one, and crawlers should not follow the button.
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Robots-Tag', 'noindex, nofollow');
    const slug = String(req.params.slug);
    const connector = await deps.connectors.find({ slug }).catch(() => null);
    const entry = connector ? (await deps.catalog.forConnectors([connector.id])).get(connector.id) : undefined;
    if (!connector || !entry?.published) {
      return page(
        res,
        404,
        'Nothing to connect here',
        `No published connection is called "${slug.slice(0, 64)}". Go back to the catalog and choose one from the list, or ask the provider for a new link.`,
      );
    }
    const tenantHint = typeof req.query.tenant === 'string' ? req.query.tenant : null;
    const returnTo = typeof req.query.returnTo === 'string' ? req.query.returnTo : null;
    try {
      const link = await deps.consent.createLink(connector.id, tenantHint, returnTo);
      return res.redirect(302, link.url);
    } catch (error) {
      if (error instanceof GatewayError && error.code === 'CONNECTOR_INCOMPLETE') {
        return page(
          res,
          503,
          `${entry.name} is not ready yet`,
          `Its provider has not finished setting it up with Microsoft, so it cannot be connected yet. Nothing was changed in your organisation.`,
          'Try again later, or tell the provider that its connector has no client ID or secret.',
        );
      }
      if (error instanceof GatewayError && error.code === 'BAD_USER_INPUT') {
        return page(res, 400, 'This connect link is not valid', error.message);
      }
      deps.logger.error({ err: error, connectorId: connector.id }, 'connect: could not create a consent link');
      return page(res, 500, 'Something went wrong', 'The gateway could not start the connection. Try again in a moment.');
    }
  };
}
