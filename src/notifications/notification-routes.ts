import express, { type Request, type Response } from 'express';
import { parseChangeNotifications, parseLifecycleNotifications, validationTokenOf } from '../microsoft/graph-change-notifications';
import type { Logger } from '../observability/logger';
import type { NotificationInbox } from './notification-inbox';

/** Real tokens are about a hundred characters; anything this long is not Graph. */
const MAX_VALIDATION_TOKEN = 1024;

/**
 * The two public routes Graph calls: `POST /notifications/graph` (change notifications) and
 * `POST /notifications/graph/lifecycle`. Both answer the validation handshake (200, text/plain,
 * the token) and otherwise 202 as soon as the notifications are in the inbox, well within Graph's
 * 3 seconds; the events are read afterwards. A forged or unknown notification is still answered
 * 202 (and counted): telling the sender which subscriptions exist helps only an attacker.
 */
export function notificationRoutes(inbox: NotificationInbox, logger: Logger): express.Router {
  const router = express.Router();
  const body = express.text({ type: () => true, limit: '1mb' });
  router.post('/notifications/graph', body, (req, res) =>
    void answer(req, res, logger, async (parsed) => {
      const notifications = parseChangeNotifications(parsed);
      if (!notifications) return false;
      await inbox.acceptChanges(notifications);
      return true;
    }),
  );
  router.post('/notifications/graph/lifecycle', body, (req, res) =>
    void answer(req, res, logger, async (parsed) => {
      const notifications = parseLifecycleNotifications(parsed);
      if (!notifications) return false;
      await inbox.acceptLifecycle(notifications);
      return true;
    }),
  );
  return router;
}

async function answer(req: Request, res: Response, logger: Logger, accept: (body: unknown) => Promise<boolean>): Promise<void> {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  const queryStart = req.originalUrl.indexOf('?');
  const token = validationTokenOf(queryStart < 0 ? '' : req.originalUrl.slice(queryStart + 1));
  if (token !== undefined) {
    if (token === '' || token.length > MAX_VALIDATION_TOKEN) {
      res.status(400).type('text/plain').send('validationToken is empty or too long: this is the handshake Microsoft Graph sends when a subscription is created\n');
      return;
    }
    res.status(200).type('text/plain').send(token);
    return;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof req.body === 'string' ? req.body : '');
  } catch {
    parsed = undefined;
  }
  try {
    if (!(await accept(parsed))) {
      res.status(400).type('text/plain').send('The body is not a Microsoft Graph notification: expected JSON {"value":[…]} as Graph sends it\n');
      return;
    }
    res.status(202).end();
  } catch (error) {
    // Graph sends again what was not acknowledged: a 503 loses nothing.
    logger.error({ err: error }, 'could not keep Graph notifications; Graph will send them again');
    res.status(503).end();
  }
}
