import { allPages, startHarness, type Harness } from './fake-mailbox-harness';

/** getSchedule (people and rooms), the places API, user search and the $batch item log, as the gateway will call them. */

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness({ users: 120, rooms: 10 });
});

afterAll(() => harness.fake.stop());

beforeEach(() => harness.fake.resetFaults());

const scheduleBody = (schedules: string[], start = '2025-01-06T09:00:00', end = '2025-01-06T18:00:00', timeZone = 'UTC', interval: number | null = 60) => ({
  schedules,
  startTime: { dateTime: start, timeZone },
  endTime: { dateTime: end, timeZone },
  ...(interval === null ? {} : { availabilityViewInterval: interval }),
});
const getSchedule = (body: unknown, headers: Record<string, string> = {}) => harness.graph('POST', `/v1.0/users/${harness.users[0].id}/calendar/getSchedule`, { json: body, headers });

describe('getSchedule', () => {
  it('answers per address: busy items, an availability view per interval, working hours, and an error entry for unknown or external addresses', async () => {
    const [alice, bob] = harness.users;
    const answer = await getSchedule(scheduleBody([alice.mail!, bob.mail!.toUpperCase(), 'nobody@contoso.onmicrosoft.com', 'someone@fabrikam.com']));
    expect(answer.status).toBe(200);
    expect(answer.json['@odata.context']).toBe(`${harness.fake.url}/v1.0/$metadata#Collection(microsoft.graph.scheduleInformation)`);
    const [first, second, unknown, external] = answer.json.value;
    expect(first.scheduleId).toBe(alice.mail);
    expect(first.availabilityView).toHaveLength(9);
    expect(first.availabilityView[0]).toBe('2');
    expect(first.scheduleItems[0]).toEqual({ isPrivate: false, status: 'busy', subject: 'Daily standup', location: 'Microsoft Teams Meeting', start: { dateTime: '2025-01-06T09:00:00.0000000', timeZone: 'UTC' }, end: expect.any(Object) });
    expect(first.workingHours).toEqual({ daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'], startTime: expect.stringMatching(/^0[89]:[03]0:00\.0000000$/), endTime: expect.any(String), timeZone: { name: expect.any(String) } });
    expect(second.scheduleId).toBe(bob.mail!.toUpperCase());
    expect(unknown).toEqual({ scheduleId: 'nobody@contoso.onmicrosoft.com', error: { message: 'Unable to resolve e-mail address nobody@contoso.onmicrosoft.com to an Active Directory object.', responseCode: '5009' } });
    expect(external.error.responseCode).toBe('5009');
  });

  it('hides the subject and location of private items, answers in the Prefer zone, and reads the request times in their own zone', async () => {
    const owner = harness.users[2];
    const month = await allPages(harness, `/v1.0/users/${owner.id}/calendarView?startDateTime=2025-01-01T00:00:00Z&endDateTime=2025-03-01T00:00:00Z&$top=500`);
    const secret = month.find((event) => event.sensitivity === 'private' && !event.isAllDay)!;
    const day = secret.start.dateTime.slice(0, 10);
    const answer = await getSchedule(scheduleBody([owner.mail!], `${day}T01:00:00`, `${day}T12:00:00`, 'Pacific Standard Time', 30), { Prefer: 'outlook.timezone="Pacific Standard Time"' });
    const items = answer.json.value[0].scheduleItems;
    const hidden = items.find((item: any) => item.isPrivate);
    expect(hidden).toEqual({ isPrivate: true, status: secret.showAs, start: expect.objectContaining({ timeZone: 'Pacific Standard Time' }), end: expect.any(Object) });
    expect(answer.json.value[0].availabilityView).toHaveLength(22);
  });

  it('shows room bookings, the organizer as subject, as Exchange rooms do', async () => {
    const rooms = (await harness.graph('GET', '/v1.0/places/microsoft.graph.room')).json.value;
    const answer = await getSchedule(scheduleBody([rooms[0].emailAddress], '2025-01-06T00:00:00', '2025-01-11T00:00:00', 'UTC', 30));
    const [room] = answer.json.value;
    expect(room.scheduleItems.length).toBeGreaterThan(3);
    const names = new Set(harness.users.map((user) => user.displayName));
    expect(room.scheduleItems.filter((item: any) => !item.isPrivate).every((item: any) => names.has(item.subject) && item.location === rooms[0].displayName)).toBe(true);
    expect(room.availabilityView).toMatch(/^[02]+$/);
  });

  it('enforces Graph limits: 100 schedules, 62 days, intervals of 5 to 1440 minutes, an end after the start', async () => {
    const addresses = harness.users.slice(0, 101).map((user) => user.mail!);
    expect((await getSchedule(scheduleBody(addresses.slice(0, 100)))).status).toBe(200);
    expect(await getSchedule(scheduleBody(addresses))).toMatchObject({
      status: 400,
      json: { error: { code: 'ErrorMailboxDataArrayTooBig', message: 'There are too many target users in the EmailAddress array. The allowed size = 100; the actual size = 101.' } },
    });
    expect((await getSchedule(scheduleBody(addresses.slice(0, 1), '2025-01-01T00:00:00', '2025-03-04T00:00:00'))).status).toBe(200);
    expect((await getSchedule(scheduleBody(addresses.slice(0, 1), '2025-01-01T00:00:00', '2025-03-05T00:00:00'))).json.error.code).toBe('ErrorTimeIntervalTooBig');
    expect((await getSchedule(scheduleBody(addresses.slice(0, 1), undefined, undefined, 'UTC', 4))).status).toBe(400);
    expect((await getSchedule(scheduleBody(addresses.slice(0, 1), undefined, undefined, 'UTC', 1441))).status).toBe(400);
    expect((await getSchedule(scheduleBody(addresses.slice(0, 1), undefined, undefined, 'UTC', 1440))).json.value[0].availabilityView).toHaveLength(1);
    expect((await getSchedule(scheduleBody(addresses.slice(0, 1), undefined, undefined, 'UTC', null))).json.value[0].availabilityView).toHaveLength(18);
    expect((await getSchedule(scheduleBody(addresses.slice(0, 1), '2025-01-06T10:00:00', '2025-01-06T09:00:00'))).json.error.code).toBe('ErrorInvalidTimeInterval');
    expect((await getSchedule(scheduleBody(addresses.slice(0, 1), undefined, undefined, 'Nowhere/Land'))).json.error.code).toBe('TimeZoneNotSupportedException');
  });

  it('needs a calendar permission', async () => {
    const directoryOnly = await harness.tokenWithRoles(['User.Read.All'], { users: 2 });
    const denied = await harness.graph('POST', `/v1.0/users/${directoryOnly.users[0].id}/calendar/getSchedule`, { token: directoryOnly.token, json: scheduleBody([directoryOnly.users[1].mail!]) });
    expect(denied).toMatchObject({ status: 403, json: { error: { code: 'ErrorAccessDenied' } } });
  });

  it('runs inside $batch with its body and headers, and the item log records what each item carried', async () => {
    const user = harness.users[0];
    const requests = [
      { id: 's', method: 'POST', url: `/users/${user.id}/calendar/getSchedule`, headers: { 'Content-Type': 'application/json', Prefer: 'outlook.timezone="Europe/Paris"' }, body: scheduleBody([user.mail!]) },
      { id: 'v', method: 'GET', url: `/users/${user.id}/calendarView?startDateTime=2025-01-06T00:00:00Z&endDateTime=2025-01-07T00:00:00Z&$select=subject` },
    ];
    const batch = await harness.graph('POST', '/v1.0/$batch', { json: { requests } });
    const byId = new Map(batch.json.responses.map((item: any) => [item.id, item]));
    expect((byId.get('s') as any).body.value[0].scheduleItems[0].start.timeZone).toBe('Europe/Paris');
    expect(Object.keys((byId.get('v') as any).body.value[0]).sort()).toEqual(['@odata.etag', 'id', 'subject']);
    expect(harness.fake.batchItemLog.slice(-2)).toEqual([
      { id: 's', method: 'POST', url: requests[0].url, headers: requests[0].headers, body: requests[0].body },
      { id: 'v', method: 'GET', url: requests[1].url, headers: {} },
    ]);
  });
});

describe('places', () => {
  it('lists rooms with Graph fields, pages them with $top and $skip, and counts them', async () => {
    const first = await harness.graph('GET', '/v1.0/places/microsoft.graph.room?$top=4&$count=true');
    expect(first.json['@odata.context']).toBe(`${harness.fake.url}/v1.0/$metadata#places/microsoft.graph.room`);
    expect(first.json['@odata.count']).toBe(10);
    expect(first.json['@odata.nextLink']).toBe(`${harness.fake.url}/v1.0/places/microsoft.graph.room?$top=4&$count=true&$skip=4`);
    expect(first.json.value[0]).toMatchObject({ displayName: 'Conf Room Adams', emailAddress: 'adams@contoso.onmicrosoft.com', building: 'Building 1', floorNumber: 1, capacity: expect.any(Number), isWheelChairAccessible: expect.any(Boolean), bookingType: 'standard' });
    expect(await allPages(harness, '/v1.0/places/microsoft.graph.room?$top=4')).toHaveLength(10);
  });

  it('lists room lists, and the rooms of one by its email address', async () => {
    const lists = (await harness.graph('GET', '/v1.0/places/microsoft.graph.roomlist')).json.value;
    expect(lists.map((list: any) => list.displayName)).toEqual(['Building 1', 'Building 2', 'Building 3']);
    const rooms = await harness.graph('GET', `/v1.0/places/${lists[2].emailAddress}/microsoft.graph.roomlist/rooms`);
    expect(rooms.json['@odata.context']).toBe(`${harness.fake.url}/v1.0/$metadata#places('building3%40contoso.onmicrosoft.com')/microsoft.graph.roomList/rooms`);
    expect(rooms.json.value.map((room: any) => room.building)).toEqual(['Building 3', 'Building 3']);
    expect((await harness.graph('GET', '/v1.0/places/nolist@contoso.onmicrosoft.com/microsoft.graph.roomlist/rooms')).status).toBe(404);
  });

  it('needs Place.Read.All', async () => {
    const calendarsOnly = await harness.tokenWithRoles(['Calendars.Read'], { users: 1 });
    expect(await harness.graph('GET', '/v1.0/places/microsoft.graph.room', { token: calendarsOnly.token })).toMatchObject({ status: 403, json: { error: { code: 'ErrorAccessDenied' } } });
  });
});

describe('user search', () => {
  const eventual = { ConsistencyLevel: 'eventual' };

  it('refuses $search without ConsistencyLevel: eventual, with Graph\'s message', async () => {
    expect(await harness.graph('GET', '/v1.0/users?$search="displayName:adel"')).toMatchObject({
      status: 400,
      json: { error: { code: 'Request_UnsupportedQuery', message: "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'" } },
    });
  });

  it('matches word prefixes of displayName and prefixes of mail, ORs clauses, counts, and keeps the search across pages', async () => {
    const adeles = harness.users.filter((user) => user.displayName.startsWith('Adele '));
    const found = await allPages(harness, '/v1.0/users?$search="displayName:adel"&$select=displayName&$top=3', eventual);
    expect(found.map((user) => user.displayName).sort()).toEqual(adeles.map((user) => user.displayName).sort());
    const byNumber = await harness.graph('GET', '/v1.0/users?$search="displayName:vance 1"', { headers: eventual });
    expect(byNumber.json.value.every((user: any) => /^Adele Vance 1\d*$/.test(user.displayName))).toBe(true);
    const either = await harness.graph('GET', '/v1.0/users?$search="mail:user7@" OR "displayName:adel"&$count=true&$top=999', { headers: eventual });
    expect(either.json['@odata.count']).toBe(adeles.length + harness.users.filter((user) => user.mail!.startsWith('user7@')).length - adeles.filter((user) => user.mail!.startsWith('user7@')).length);
    const paged = await harness.graph('GET', '/v1.0/users?$search="displayName:a"&$top=2', { headers: eventual });
    expect(paged.json['@odata.nextLink']).toMatch(/\/users\?\$search=%22displayName:a%22&\$top=2&\$skiptoken=/);
  });

  it('counts all users with $count=true only under ConsistencyLevel: eventual, and refuses a malformed search', async () => {
    expect((await harness.graph('GET', '/v1.0/users?$count=true&$top=1', { headers: eventual })).json['@odata.count']).toBe(120);
    expect((await harness.graph('GET', '/v1.0/users?$count=true&$top=1')).json['@odata.count']).toBeUndefined();
    expect((await harness.graph('GET', '/v1.0/users?$search=adel', { headers: eventual })).json.error.code).toBe('Request_UnsupportedQuery');
    expect((await harness.graph('GET', '/v1.0/users?$search="shoeSize:9"', { headers: eventual })).status).toBe(400);
  });
});
