import { startFakeMicrosoft, type FakeMicrosoft } from '../../fake-microsoft';
import { consentedCustomer } from './support/customer';
import { MicrosoftProcess } from './support/microsoft-process';

describe('Graph DataLoaders: per-user reads as $batch calls', () => {
  let fake: FakeMicrosoft;
  let microsoft: MicrosoftProcess;

  beforeAll(async () => {
    fake = await startFakeMicrosoft();
    microsoft = await MicrosoftProcess.start(fake.caCertPath);
  });
  afterAll(async () => {
    await microsoft?.stop();
    await fake?.stop();
  });
  beforeEach(async () => {
    fake.resetFaults();
    await microsoft.call('setup', { loginUrl: fake.url, graphUrl: fake.url, graph: { baseRetryDelayMs: 20 } });
  });

  /** Graph calls other than $batch: there should be none for per-user reads. */
  const directCalls = () => Object.entries(fake.counters.byRoute).filter(([route]) => !route.startsWith('batch ') && route !== 'POST /$batch');

  it('reads the calendars of 100 users with exactly 5 $batch calls and no per-user call', async () => {
    const { target, users } = consentedCustomer(fake, { users: 100 });
    await microsoft.call('acquire', target.credentials, target.tenantId);
    fake.resetCounters();

    const results = await microsoft.call('loadCalendars', target, users.map((user) => user.id));
    expect(fake.counters.batchRequests).toBe(5);
    expect(fake.counters.batchItems).toBe(100);
    expect(directCalls()).toEqual([]);
    expect(results.every((result) => 'value' in result && result.value.length === 2)).toBe(true);
    const [calendar] = (results[0] as { value: unknown[] }).value;
    expect(calendar).toEqual({
      id: expect.any(String),
      name: 'Calendar',
      color: 'auto',
      hexColor: null,
      isDefaultCalendar: true,
      canEdit: true,
      owner: { name: users[0]!.displayName, address: users[0]!.mail },
    });
  });

  it('sends a repeated key once', async () => {
    const { target, users } = consentedCustomer(fake, { users: 2 });
    await microsoft.call('acquire', target.credentials, target.tenantId);
    fake.resetCounters();
    const ids = [users[0]!.id, users[1]!.id, users[0]!.id];
    const results = await microsoft.call('loadCalendars', target, ids);
    expect(fake.counters.batchItems).toBe(2);
    expect(results[2]).toEqual(results[0]);
  });

  it('retries throttled batch items on their own after their Retry-After', async () => {
    const { target, users } = consentedCustomer(fake, { users: 40 });
    await microsoft.call('acquire', target.credentials, target.tenantId);
    fake.resetCounters();
    fake.faults.throttleBatchItems = { count: 3, retryAfterSeconds: 1 };

    const results = await microsoft.call('loadCalendars', target, users.map((user) => user.id));
    expect(results.every((result) => 'value' in result)).toBe(true);
    // 2 batches of 20, then the 3 throttled items again (in one or two batches, by chunk).
    expect(fake.counters.batchItems).toBe(43);
    expect(fake.counters.batchRequests).toBeLessThanOrEqual(4);
  });

  it('fails only the key Graph refuses, with the permission to check', async () => {
    const { target, users } = consentedCustomer(fake, { users: 4 });
    fake.faults.forbiddenUsers!.add(users[1]!.id);
    fake.faults.mailboxDisabledUsers!.add(users[2]!.id);

    const results = await microsoft.call('loadCalendars', target, users.map((user) => user.id));
    expect('value' in results[0]!).toBe(true);
    expect('value' in results[3]!).toBe(true);
    expect(results[1]).toEqual({ error: expect.objectContaining({ code: 'GRAPH_FORBIDDEN', message: expect.stringContaining('Calendars.Read') }) });
    expect(results[2]).toEqual({ error: expect.objectContaining({ code: 'NOT_FOUND', message: expect.stringContaining('Exchange Online') }) });
  });

  it('follows @odata.nextLink inside batches for a mailbox with more calendars than one page', async () => {
    const { target, users } = consentedCustomer(fake, { users: [{ calendarCount: 1500 }, {}, { calendarCount: 1001 }] });
    await microsoft.call('acquire', target.credentials, target.tenantId);
    fake.resetCounters();

    const results = await microsoft.call('loadCalendars', target, users.map((user) => user.id));
    expect(results.map((result) => ('value' in result ? result.value.length : result.error))).toEqual([1500, 2, 1001]);
    expect(new Set((results[0] as { value: Array<{ id: string }> }).value.map((calendar) => calendar.id)).size).toBe(1500);
    // First pages of all three, then the second pages of the two big mailboxes together.
    expect(fake.counters.batchRequests).toBe(2);
    expect(directCalls()).toEqual([]);
  });

  it('reads a week of events in UTC as instants inside the window', async () => {
    const { target, users } = consentedCustomer(fake, { users: 2 });
    const start = '2025-01-06T00:00:00.000Z';
    const end = '2025-01-13T00:00:00.000Z';
    const results = await microsoft.call('loadCalendarView', target, users.map((user) => ({ userId: user.id, start, end })));

    for (const result of results) {
      if (!('value' in result)) throw new Error(`unexpected failure ${result.error.message}`);
      expect(result.value).toHaveLength(14);
      for (const event of result.value) {
        expect(event.start! >= start && event.end! <= end && event.start! < event.end!).toBe(true);
        expect(event).toEqual({
          id: expect.any(String),
          subject: expect.any(String),
          start: expect.stringMatching(/Z$/),
          end: expect.stringMatching(/Z$/),
          isAllDay: expect.any(Boolean),
          showAs: expect.any(String),
          freeBusyStatus: expect.stringMatching(/^[A-Z_]+$/),
        });
      }
    }
  });

  it('reads single users in a batch, an unknown id being null', async () => {
    const { target, users } = consentedCustomer(fake, { users: 2 });
    const results = await microsoft.call('loadUsers', target, [users[1]!.id, '00000000-0000-4000-8000-00000000dead']);
    expect(results).toEqual([{ value: expect.objectContaining({ id: users[1]!.id, displayName: users[1]!.displayName }) }, { value: null }]);
  });
});
