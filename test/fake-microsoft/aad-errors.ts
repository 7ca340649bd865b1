import { randomUUID } from 'node:crypto';
import { jsonResponse, type OutgoingResponse } from './http-exchange';

/** An AADSTS error as the token endpoint answers it. */
export interface AadError {
  status: number;
  error: string;
  aadsts: number;
  /** The text after "AADSTSnnn: "; a leading "AADSTSnnn: " is tolerated. */
  description: string;
}

/** "2023-05-06 06:03:00Z", the identity platform's timestamp format. */
export function aadTimestamp(date = new Date()): string {
  return `${date.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

/** The full error_description: the message, then the trace lines every AADSTS error carries. */
export function aadDescription(aadsts: number, description: string, ids: { traceId: string; correlationId: string; timestamp: string }): string {
  const message = description.startsWith('AADSTS') ? description : `AADSTS${aadsts}: ${description}`;
  return `${message}\r\nTrace ID: ${ids.traceId}\r\nCorrelation ID: ${ids.correlationId}\r\nTimestamp: ${ids.timestamp}`;
}

/** The JSON body msal parses into a ServerError (errorCode = error, errorNo = error_codes[0]). */
export function aadErrorResponse(loginBaseUrl: string, failure: AadError, correlationId: string = randomUUID()): OutgoingResponse {
  const traceId = randomUUID();
  const timestamp = aadTimestamp();
  return jsonResponse(
    failure.status,
    {
      error: failure.error,
      error_description: aadDescription(failure.aadsts, failure.description, { traceId, correlationId, timestamp }),
      error_codes: [failure.aadsts],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `${loginBaseUrl}/error?code=${failure.aadsts}`,
    },
    { 'Cache-Control': 'no-store, no-cache', Pragma: 'no-cache', 'x-ms-request-id': traceId, 'client-request-id': correlationId },
  );
}

/** The "Sorry, but we're having trouble signing you in" page a browser sees when the request itself is wrong. */
export function aadErrorPage(aadsts: number, description: string): OutgoingResponse {
  const traceId = randomUUID();
  const text = escapeHtml(`AADSTS${aadsts}: ${description}`);
  const body = [
    '<!DOCTYPE html><html><head><title>Sign in to your account</title></head><body>',
    "<h1>Sorry, but we're having trouble signing you in.</h1>",
    `<p id="error-message">${text}</p>`,
    `<p>Request Id: ${traceId}<br>Correlation Id: ${randomUUID()}<br>Timestamp: ${aadTimestamp()}</p>`,
    '</body></html>',
  ].join('\n');
  return { status: 400, headers: { 'Content-Type': 'text/html; charset=utf-8', 'x-ms-request-id': traceId }, body };
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
