import type { FakeUser } from '../fake-microsoft';
import { startHarness, type Harness } from './fake-mailbox-harness';

/** The fake's faults for writes whose outcome the gateway cannot see: performed, then answered badly or not at all. */

let harness: Harness;
let organizer: FakeUser;

beforeAll(async () => {
  harness = await startHarness({ users: 2 });
  [organizer] = harness.users;
});
afterAll(() => harness.fake.stop());
beforeEach(() => {
  harness.fake.resetFaults();
  harness.fake.resetCounters();
});

const booking = { subject: 'Review', start: { dateTime: '2025-03-04T10:00:00', timeZone: 'UTC' }, end: { dateTime: '2025-03-04T11:00:00', timeZone: 'UTC' }, transactionId: 'tx-after-storing' };
const path = (suffix = '') => `/v1.0/users/${organizer.id}/events${suffix}`;

it('books a create, then answers it with a 5xx; the same transactionId finds the event booked', async () => {
  harness.fake.faults.failNextCreateAfterStoring = { status: 504 };
  const failed = await harness.graph('POST', path(), { json: booking });
  expect([failed.status, failed.json.error.code]).toEqual([504, 'timeout']);
  expect(harness.fake.counters.createdEvents).toBe(1);
  const retry = await harness.graph('POST', path(), { json: booking });
  expect(retry.status).toBe(201);
  expect(harness.fake.mailbox.getEvent(harness.tenantId, organizer.id, retry.json.id)).toMatchObject({ subject: 'Review', transactionId: 'tx-after-storing' });
  expect(harness.fake.counters.createdEvents).toBe(1);
});

it('deletes, then loses the answer; deleting again finds nothing', async () => {
  const created = await harness.graph('POST', path(), { json: { ...booking, transactionId: 'tx-delete' } });
  harness.fake.faults.dropNextDeleteAnswer = true;
  await expect(harness.graph('DELETE', path(`/${created.json.id}`))).rejects.toThrow();
  expect(harness.fake.mailbox.getEvent(harness.tenantId, organizer.id, created.json.id)).toBeUndefined();
  expect((await harness.graph('DELETE', path(`/${created.json.id}`))).json.error.code).toBe('ErrorItemNotFound');
});
