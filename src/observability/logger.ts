import pino from 'pino';

/**
 * One structured JSON logger for the process. Redaction is a second line of defence: code
 * never passes secrets to the logger, but if a request object slips in, these paths are masked.
 */
export const logger = pino({
  level: 'info', // set from the configuration at start
  base: { service: 'xkit-gateway' },
  redact: {
    paths: [
      'req.headers.authorization',
      '*.clientSecret',
      '*.client_secret',
      '*.accessToken',
      '*.access_token',
      '*.token',
      'clientSecret',
      'accessToken',
    ],
    censor: '[redacted]',
  },
});

export type Logger = pino.Logger;
