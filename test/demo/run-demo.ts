import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { startFakeMicrosoft } from '../fake-microsoft';
import { mintClientToken } from '../integration/client-access';
import { gatewaySettings, startGateway } from '../integration/harness';
import { adminConsents, readyConnector, tenantsOf } from '../integration/scenario';

/**
 * `npm run demo`: the whole flow offline. A fake Microsoft (identity platform + Graph) with a
 * seeded organisation, the real gateway pointed at it, a connector set up and consented.
 */
async function main(): Promise<void> {
  const dataDir = resolve('data/demo');
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const users = Number(process.env.DEMO_USERS ?? 250);
  const port = Number(process.env.PORT ?? 4000);

  const fake = await startFakeMicrosoft({ certDir: dataDir, latencyMs: Number(process.env.DEMO_LATENCY_MS ?? 15) });
  const settings = { ...(await gatewaySettings(fake, dataDir)), XKIT_ADMIN_API_KEY: `demo_${randomBytes(18).toString('base64url')}` };
  const gateway = await startGateway(settings, {
    PORT: String(port),
    HOST: process.env.HOST ?? '0.0.0.0',
    XKIT_PUBLIC_URL: `http://localhost:${port}`,
    NODE_ENV: 'development',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    // Frontends on the usual local dev-server ports may call the demo gateway from a browser.
    XKIT_CORS_ORIGINS: process.env.XKIT_CORS_ORIGINS ?? 'http://localhost:3000,http://localhost:5173',
  });

  const { connector } = await readyConnector(gateway, fake, { scopes: ['Directory.Read.All', 'User.Read.All', 'Calendars.ReadWrite', 'Place.Read.All'] });
  // The fake's mailboxes hold recurring meetings with attendees, rooms and Teams links, working hours in
  // six time zones, and 12 rooms in 3 buildings. The first two people work in Seattle and New York, so
  // the meeting-time example below has hours in common.
  const workingIn = (timeZone: string) => ({ timeZone, workingHours: { daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'], startTime: '09:00', endTime: '17:00' } });
  const people = Array.from({ length: users }, (_, index) => (index === 0 ? workingIn('Pacific Standard Time') : index === 1 ? workingIn('Eastern Standard Time') : {}));
  const organisation = fake.addTenant({ displayName: 'Contoso Demo', users: people });
  const [first, second] = organisation.users;
  await adminConsents(gateway, fake, connector.id, organisation.tenantId);
  const [tenant] = await tenantsOf(gateway, connector.id);
  const [firstUser] = organisation.users;
  const clientToken = await mintClientToken(gateway, { tenantId: tenant.id, userId: firstUser!.id, capabilities: ['READ_CALENDARS'], ttlSeconds: 3600 });

  console.log(`
  Xkit gateway demo: http://localhost:${port}/graphql (Apollo Sandbox)
  A fake Microsoft runs at ${fake.url} with "${tenant.displayName}" (${users} users), already consented.

  In Sandbox, add the header   Authorization: Bearer ${gateway.adminKey}
  then run:

    query {
      tenant(id: "${tenant.id}") {
        displayName grantedScopes
        users(first: 100) {
          nodes { displayName mail calendars { name isDefaultCalendar } }
          pageInfo { hasNextPage endCursor }
        }
      }
    }

  or find half an hour for two people in different time zones, and the first rooms:

    query {
      tenant(id: "${tenant.id}") {
        meetingTimes(emails: ["${first!.mail}", "${second!.mail}"],
          start: "2026-01-05T00:00:00Z", end: "2026-01-10T00:00:00Z", durationMinutes: 30) { start end }
        rooms(first: 4) { nodes { displayName emailAddress capacity } }
      }
    }

  A client token for a browser app (one hour, ${firstUser!.displayName}'s calendars only; XKIT_CORS_ORIGINS
  lets http://localhost:3000 and :5173 call the gateway):

    curl -s http://localhost:${port}/graphql -H 'content-type: application/json' \\
      -H 'authorization: Bearer ${clientToken}' \\
      -d '{"query":"{ viewer { userId capabilities expiresAt tenant { user(id: \\"${firstUser!.id}\\") { displayName calendars { name } } } } }"}'

  Ctrl-C stops the demo.
`);

  const stop = async () => {
    await gateway.stop();
    await fake.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error) => {
  console.error(`demo failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
