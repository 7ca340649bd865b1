import { parseArgs } from 'node:util';
import { startFakeMicrosoft } from './index';

/**
 * Runs the fake as its own process for the demo and the benchmark:
 *   node dist/test/fake-microsoft/cli.js --port 8443 --users 250 --latency 20 \
 *     --client-id <guid> --client-secret <secret> --redirect-uri <url> [--tenant-id <guid>] [--cert-dir <dir>] [--roles A,B]
 * Prints one JSON line {"url","caCertPath","tenantId"} on stdout once it listens; stops on SIGINT or SIGTERM.
 * The tenant is already consented, so the gateway can take tokens at once.
 */

const DEFAULT_ROLES = 'Directory.Read.All,Calendars.Read';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      users: { type: 'string', default: '100' },
      latency: { type: 'string', default: '0' },
      'client-id': { type: 'string' },
      'client-secret': { type: 'string' },
      'redirect-uri': { type: 'string', multiple: true, default: [] },
      'tenant-id': { type: 'string' },
      'cert-dir': { type: 'string' },
      roles: { type: 'string', default: DEFAULT_ROLES },
    },
  });
  const clientId = values['client-id'];
  const clientSecret = values['client-secret'];
  if (!clientId || !clientSecret) throw new Error('--client-id and --client-secret are required');

  const fake = await startFakeMicrosoft({ port: integer('--port', values.port), latencyMs: integer('--latency', values.latency), certDir: values['cert-dir'] });
  const requiredRoles = values.roles.split(',').map((role) => role.trim()).filter(Boolean);
  fake.registerApp({ clientId, clientSecret, displayName: 'Xkit', redirectUris: values['redirect-uri'], requiredRoles });
  const tenant = fake.addTenant({ tenantId: values['tenant-id'], displayName: 'Contoso Demo', users: integer('--users', values.users) });
  fake.grantConsent(tenant.tenantId, clientId);
  process.stdout.write(`${JSON.stringify({ url: fake.url, caCertPath: fake.caCertPath, tenantId: tenant.tenantId })}\n`);

  const stop = () => {
    fake.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function integer(flag: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${flag} must be a non-negative integer, got '${raw}'`);
  return value;
}

main().catch((error: unknown) => {
  process.stderr.write(`fake-microsoft: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
