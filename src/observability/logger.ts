import pino from 'pino';

/**
 * One structured JSON logger for the process: level names and ISO times, as log shippers expect.
 * Code never hands secrets to the logger (redacted by construction: ids and reasons only, never a
 * request, a body or a token), so no wildcard redaction runs on every line.
 */
export const logger = pino({
  level: 'info', // set from the configuration at start
  base: { service: 'xkit-gateway' },
  timestamp: pino.stdTimeFunctions.isoTime,
  formatters: { level: (label) => ({ level: label }) },
});

export type Logger = pino.Logger;
