import { graphEventBody } from '../../../src/microsoft/graph-event-body';

/** The bodies of Graph's event writes: wall clocks in the zone booked in, Graph's spellings, only what was given. */

it('sends start and end as wall clocks in the zone, as the caller named it, across daylight saving', () => {
  const body = graphEventBody({ start: new Date('2026-03-29T00:30:00Z'), end: new Date('2026-03-29T01:30:00Z'), timeZone: 'Romance Standard Time' });
  // Paris moves its clocks from 02:00 to 03:00 that night: 01:30 CET, then 03:30 CEST.
  expect(body).toEqual({ start: { dateTime: '2026-03-29T01:30:00', timeZone: 'Romance Standard Time' }, end: { dateTime: '2026-03-29T03:30:00', timeZone: 'Romance Standard Time' } });
  expect(graphEventBody({ start: new Date('2026-03-10T09:00:00Z') })).toEqual({ start: { dateTime: '2026-03-10T09:00:00', timeZone: 'UTC' } });
});

it("spells every field as Graph does, and asks for a Teams meeting", () => {
  expect(
    graphEventBody({
      subject: ' Review ',
      body: '<p>Hi</p>',
      bodyType: 'HTML',
      isAllDay: false,
      location: 'Room 1',
      attendees: [{ email: 'adele@contoso.example', name: 'Adele' }, { email: 'room1@contoso.example', type: 'RESOURCE' }],
      isOnlineMeeting: true,
      freeBusyStatus: 'WORKING_ELSEWHERE',
      sensitivity: 'PRIVATE',
      allowNewTimeProposals: false,
    }),
  ).toEqual({
    subject: 'Review',
    body: { contentType: 'html', content: '<p>Hi</p>' },
    isAllDay: false,
    location: { displayName: 'Room 1' },
    attendees: [
      { emailAddress: { address: 'adele@contoso.example', name: 'Adele' }, type: 'required' },
      { emailAddress: { address: 'room1@contoso.example' }, type: 'resource' },
    ],
    isOnlineMeeting: true,
    onlineMeetingProvider: 'teamsForBusiness',
    showAs: 'workingElsewhere',
    sensitivity: 'private',
    allowNewTimeProposals: false,
  });
});

it('leaves out what was not given and clears what was given as null', () => {
  expect(graphEventBody({ location: 'Room 2' })).toEqual({ location: { displayName: 'Room 2' } });
  expect(graphEventBody({ body: null, location: null, attendees: null, isOnlineMeeting: false })).toEqual({
    body: { contentType: 'text', content: '' },
    location: { displayName: '' },
    attendees: [],
    isOnlineMeeting: false,
  });
});
