import DataLoader from 'dataloader';
import type { GraphBatchResponse, GraphClient, TenantAccess } from './graph-client';
import { graphRequestErrorFrom, GraphRequestError } from './graph-request-error';
import { MAX_SCHEDULES_PER_CALL } from './graph-limits';
import { UnexpectedPayloadError } from './graph-resources';
import { readScheduleAnswer, scheduleRequest, SCHEDULE_ROUTE, type GraphSchedule, type ScheduleWindow } from './graph-schedules';
import { toGatewayError } from './to-gateway-error';

/** One address's schedule in one window; `host` is a mailbox that may ask for it (the user's own id, or the address). */
export interface ScheduleKey extends ScheduleWindow {
  email: string;
  host: string;
}

export function scheduleCacheKey(key: ScheduleKey): string {
  return `${windowKey(key)}|${key.email.toLowerCase()}`;
}

function windowKey(window: ScheduleWindow): string {
  return `${window.start.toISOString()}|${window.end.toISOString()}|${window.intervalMinutes}`;
}

/**
 * Schedules asked for in one tick (a page of users, a `schedules` field) become getSchedule calls
 * of at most 20 addresses each, all carried in `$batch` calls: 1,000 users cost 50 getSchedule
 * requests in 3 `$batch` calls.
 */
export function createScheduleLoader(graph: GraphClient, access: TenantAccess): DataLoader<ScheduleKey, GraphSchedule, string> {
  return new DataLoader((keys) => loadSchedules(graph, access, keys), { cacheKeyFn: scheduleCacheKey });
}

/** One getSchedule call to make: addresses of one window, and the mailboxes that may ask for them. */
interface ScheduleCall {
  window: ScheduleWindow;
  emails: string[];
  hosts: string[];
  tried: Set<string>;
  host?: string;
  /** the answers of hosts that could not ask (not a mailbox here, or closed to the app) */
  hostFailures: GraphBatchResponse[];
}

async function loadSchedules(graph: GraphClient, access: TenantAccess, keys: readonly ScheduleKey[]): Promise<Array<GraphSchedule | Error>> {
  const found = new Map<string, Omit<GraphSchedule, 'email'> | Error>();
  let pending = callsFor(keys);
  // A mailbox that answered once can ask for any address: the host of a call whose own host failed.
  let knownHost: string | undefined;
  // Each round retries only calls whose host failed with another host: bounded by the 20 hosts a call has.
  while (pending.length > 0) {
    for (const call of pending) {
      call.host = knownHost !== undefined && !call.tried.has(knownHost) ? knownHost : call.hosts.find((host) => !call.tried.has(host))!;
      call.tried.add(call.host);
    }
    let answers: Map<string, GraphBatchResponse>;
    try {
      answers = await graph.batch(access, pending.map((call, index) => scheduleRequest(String(index), call.host!, call.emails, call.window)));
    } catch (error) {
      throw toGatewayError(error);
    }
    const again: ScheduleCall[] = [];
    pending.forEach((call, index) => {
      const answer = answers.get(String(index))!;
      if (answer.status >= 200 && answer.status < 300) {
        knownHost = call.host;
        record(found, call, () => readScheduleAnswer(answer.body));
        return;
      }
      // The mailbox in the path was the problem (not a mailbox here, or closed to the app): another may ask instead.
      const hostFailed = answer.status === 404 || answer.status === 403;
      if (hostFailed) call.hostFailures.push(answer);
      if (hostFailed && hasAnotherHost(call, knownHost)) again.push(call);
      else recordFailure(found, call, answer);
    });
    pending = again;
  }
  return keys.map((key) => {
    const schedule = found.get(scheduleCacheKey(key));
    if (schedule instanceof Error) return schedule;
    return { email: key.email, ...(schedule ?? { availabilityView: null, items: [], workingHours: null, error: 'Microsoft Graph returned no schedule for this address' }) };
  });
}

/** The keys as calls: grouped by window, each address once, at most 20 a call. */
function callsFor(keys: readonly ScheduleKey[]): ScheduleCall[] {
  const byWindow = new Map<string, { window: ScheduleWindow; emails: Map<string, string>; hosts: Map<string, string> }>();
  for (const key of keys) {
    const group = byWindow.get(windowKey(key)) ?? { window: key, emails: new Map(), hosts: new Map() };
    byWindow.set(windowKey(key), group);
    if (!group.emails.has(key.email.toLowerCase())) {
      group.emails.set(key.email.toLowerCase(), key.email);
      group.hosts.set(key.email.toLowerCase(), key.host);
    }
  }
  const calls: ScheduleCall[] = [];
  for (const { window, emails, hosts } of byWindow.values()) {
    const addresses = [...emails.keys()];
    for (let start = 0; start < addresses.length; start += MAX_SCHEDULES_PER_CALL) {
      const slice = addresses.slice(start, start + MAX_SCHEDULES_PER_CALL);
      const callWindow = { start: window.start, end: window.end, intervalMinutes: window.intervalMinutes };
      calls.push({ window: callWindow, emails: slice.map((address) => emails.get(address)!), hosts: [...new Set(slice.map((address) => hosts.get(address)!))], tried: new Set(), hostFailures: [] });
    }
  }
  return calls;
}

function hasAnotherHost(call: ScheduleCall, knownHost: string | undefined): boolean {
  return (knownHost !== undefined && !call.tried.has(knownHost)) || call.hosts.some((host) => !call.tried.has(host));
}

/**
 * A call no host could make. When every host was unknown to the organisation (404), so is every
 * address of the call, and each gets that as its schedule's error: data, as Graph answers for an
 * unknown address. Any other failure (forbidden, throttled) fails the call's fields.
 */
function recordFailure(found: Map<string, Omit<GraphSchedule, 'email'> | Error>, call: ScheduleCall, answer: GraphBatchResponse): void {
  const failure = graphRequestErrorFrom(answer, SCHEDULE_ROUTE);
  const allUnknown = call.hostFailures.length === call.tried.size && call.hostFailures.every((each) => each.status === 404);
  const outcome = allUnknown
    ? { availabilityView: null, items: [], workingHours: null, error: `No mailbox of this organisation has this address: ${failure.message} (${failure.graphCode})` }
    : toGatewayError(failure);
  for (const email of call.emails) found.set(`${windowKey(call.window)}|${email.toLowerCase()}`, outcome);
}

function record(found: Map<string, Omit<GraphSchedule, 'email'> | Error>, call: ScheduleCall, read: () => Map<string, Omit<GraphSchedule, 'email'>>): void {
  const prefix = windowKey(call.window);
  let schedules: Map<string, Omit<GraphSchedule, 'email'>>;
  try {
    schedules = read();
  } catch (error) {
    if (!(error instanceof UnexpectedPayloadError)) throw error;
    const failure = toGatewayError(new GraphRequestError(502, 'UnreadableResponse', error.message, SCHEDULE_ROUTE));
    for (const email of call.emails) found.set(`${prefix}|${email.toLowerCase()}`, failure);
    return;
  }
  for (const email of call.emails) {
    const schedule = schedules.get(email.toLowerCase());
    if (schedule) found.set(`${prefix}|${email.toLowerCase()}`, schedule);
  }
}
