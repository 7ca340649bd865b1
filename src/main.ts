import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { RedisTokenCache } from './cache/redis-token-cache';
import { ConfigError, loadConfig, type GatewayConfig } from './config/config';
import { GatewayKeys } from './crypto/keys';
import { openDatabase } from './db/data-source';
import { logger } from './observability/logger';
import { createGateway } from './server';
import { describeStartFailure } from './start-failure';

async function main(): Promise<void> {
  let config: GatewayConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`xkit: configuration error: ${error.message.split('\n').join('; ')}`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  logger.level = config.logLevel;
  if (config.secretKeySource === 'generated') logger.warn('generated a new XKIT_SECRET_KEY into data/secret.key; set XKIT_SECRET_KEY in production');

  const dataSource = await openDatabase(config.database).catch((error: unknown) => stopStarting(config, 'database', error));
  const sharedTokenCache = config.redisUrl ? new RedisTokenCache(config.redisUrl, new GatewayKeys(config.secretKey), logger) : undefined;
  const gateway = await createGateway({
    config,
    dataSource,
    logger,
    sharedTokenCache,
    health: async () => ({ redis: sharedTokenCache ? sharedTokenCache.status : 'not configured' }),
  });
  const { generatedKey } = await gateway.apiKeys.bootstrap(config.adminApiKey, config.nodeEnv === 'production');
  if (generatedKey) {
    // Printed once, on the terminal only: it is stored as a hash and cannot be shown again.
    console.error(`\n  Admin API key (shown once, store it now):\n\n    ${generatedKey}\n\n  Send it as: Authorization: Bearer <key>\n`);
  }
  await gateway.listen().catch((error: unknown) => stopStarting(config, 'listen', error));
  const { port } = gateway.httpServer.address() as AddressInfo;
  logger.info({ port, database: config.database.type, publicUrl: config.publicUrl }, `Xkit gateway ready at http://localhost:${port}/graphql`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, graceSeconds: config.shutdownGraceMs / 1000 }, 'shutting down: finishing in-flight requests');
    // However stopping goes, the process ends: a stuck close must not outlive the orchestrator's patience.
    setTimeout(() => {
      logger.error('shutdown did not finish in time; exiting');
      process.exit(1);
    }, config.shutdownGraceMs + 10_000).unref();
    gateway
      .stop()
      .then(() => sharedTokenCache?.close())
      .then(
        () => {
          logger.info('stopped');
          process.exit(0);
        },
        (error) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/** One line that names the setting to fix, then exit: a start-up failure is an operator's problem, not a stack trace. */
function stopStarting(config: GatewayConfig, step: 'database' | 'listen', error: unknown): never {
  console.error(`xkit: could not start: ${describeStartFailure(config, step, error)}`);
  process.exit(1);
}

main().catch((error) => {
  logger.fatal({ err: error }, 'the gateway could not start');
  console.error(`xkit: could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
