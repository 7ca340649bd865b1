import Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { GatewayError, withHttpStatus } from '../errors';

const WINDOW_SECONDS = 60;

/**
 * XKIT_CLIENT_RATE_LIMIT requests a minute per client-token subject (tenant + user). With Redis the
 * count is shared by every replica; while Redis is away each replica counts in its own memory
 * (so the limit holds per replica) until it returns, as the app-token cache does.
 */
export class ClientRateLimit {
  private readonly limiter: RateLimiterAbstract;
  private readonly redis: Redis | null;

  constructor(private readonly perMinute: number, redisUrl: string | null) {
    const memory = new RateLimiterMemory({ points: perMinute, duration: WINDOW_SECONDS });
    if (!redisUrl) {
      this.redis = null;
      this.limiter = memory;
      return;
    }
    // Its own connection, failing fast like the token cache's: a request never waits for Redis to return.
    this.redis = new Redis(redisUrl, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
      retryStrategy: (attempt) => Math.min(attempt * 250, 2_000),
    });
    this.redis.on('error', () => undefined); // the token cache's connection reports Redis going away
    this.limiter = new RateLimiterRedis({
      storeClient: this.redis,
      keyPrefix: 'xkit:client-rate',
      points: perMinute,
      duration: WINDOW_SECONDS,
      rejectIfRedisNotReady: true,
      insuranceLimiter: memory,
    });
  }

  /** Counts one request of the subject; throws RATE_LIMITED (HTTP 429 with Retry-After) past the limit. */
  async admit(subject: string): Promise<void> {
    try {
      await this.limiter.consume(subject);
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      const retryAfter = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
      const refusal = new GatewayError(
        'RATE_LIMITED',
        `Too many requests with this client token's tenant and user: the limit is ${this.perMinute} a minute. Try again in ${retryAfter} s.`,
        { retryAfterSeconds: retryAfter },
      );
      throw withHttpStatus(refusal, 429, new Map([['retry-after', String(retryAfter)]]));
    }
  }

  close(): void {
    this.redis?.disconnect();
  }
}
