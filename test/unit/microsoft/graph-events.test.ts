import { graphAttendeeType, graphEventType, graphFreeBusyStatus, graphResponseStatus, graphSensitivity } from '../../../src/microsoft/graph-event-values';
import { EVENT_PROPERTIES, toGraphEvent } from '../../../src/microsoft/graph-events';
import { UnexpectedPayloadError } from '../../../src/microsoft/graph-resources';
import { graphSelect, mergeSelections } from '../../../src/microsoft/graph-selection';

describe("Graph's event enumerations", () => {
  it.each([
    ['workingElsewhere', 'WORKING_ELSEWHERE', graphFreeBusyStatus],
    ['tentativelyAccepted', 'TENTATIVELY_ACCEPTED', graphResponseStatus],
    ['notResponded', 'NOT_RESPONDED', graphResponseStatus],
    ['seriesMaster', 'SERIES_MASTER', graphEventType],
    ['resource', 'RESOURCE', graphAttendeeType],
    ['confidential', 'CONFIDENTIAL', graphSensitivity],
  ] as const)('reads %s as %s and writes it back', (wire, value, enumeration) => {
    expect(enumeration.read(wire)).toBe(value);
    expect((enumeration.write as (name: string) => string)(value)).toBe(wire);
  });

  it('refuses a value Graph has not documented instead of guessing', () => {
    expect(() => graphEventType.read('unknownFutureValue')).toThrow(UnexpectedPayloadError);
    expect(() => toGraphEvent({ id: 'e', attendees: [{ type: 'required', status: { response: 'maybe' }, emailAddress: { address: 'a@b.example' } }] })).toThrow(/"maybe" is not one of/);
  });
});

describe('events read with a selection', () => {
  it('maps only what the payload holds', () => {
    expect(toGraphEvent({ '@odata.etag': 'W/"1"', id: 'e', subject: 'Sync' })).toEqual({ id: 'e', subject: 'Sync' });
    expect(toGraphEvent({ id: 'e', location: { displayName: '' }, onlineMeeting: null, isOnlineMeeting: false, showAs: null })).toEqual({
      id: 'e',
      location: null,
      onlineMeetingUrl: null,
      isOnlineMeeting: false,
      showAs: null,
      freeBusyStatus: 'UNKNOWN',
    });
  });

  it('selects the Graph properties of the fields asked for, id always, in one order', () => {
    expect(graphSelect(EVENT_PROPERTIES, new Set(['subject']))).toBe('id,subject');
    expect(graphSelect(EVENT_PROPERTIES, new Set(['onlineMeetingUrl', 'createdAt', '__typename']))).toBe('id,isOnlineMeeting,onlineMeeting,createdDateTime');
    expect(graphSelect(EVENT_PROPERTIES, new Set(['freeBusyStatus', 'showAs']))).toBe('id,showAs');
  });

  it('merges the selections of keys that read the same resource', () => {
    const keys = [
      { user: 'a', select: 'id,subject' },
      { user: 'b', select: 'id,attendees' },
      { user: 'a', select: 'id,start' },
      { user: 'a', select: 'id,subject' },
    ];
    expect(mergeSelections(keys, (key) => key.user)).toEqual([
      { key: keys[0], select: 'id,subject,start', positions: [0, 2, 3] },
      { key: keys[1], select: 'id,attendees', positions: [1] },
    ]);
  });
});
