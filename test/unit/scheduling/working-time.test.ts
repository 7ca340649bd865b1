import { workingIntervals, type WorkingHoursRule } from '../../../src/scheduling/working-time';
import { ianaZoneOf, instantOfWallClock } from '../../../src/time/time-zones';

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'];
const iso = (ms: number) => new Date(ms).toISOString().replace(':00.000Z', 'Z');
const rule = (zone: string, startTime: string, endTime: string, daysOfWeek = WEEKDAYS): WorkingHoursRule => ({ daysOfWeek, startTime, endTime, ianaTimeZone: ianaZoneOf(zone)! });
const window = (from: string, to: string) => ({ startMs: Date.parse(from), endMs: Date.parse(to) });

describe('workingIntervals: working hours in the person\'s own zone, as UTC instants', () => {
  it.each<[string, WorkingHoursRule, ReturnType<typeof window>, string[]]>([
    [
      'Pacific Standard Time 08:00–17:00 from Sunday night UTC: Monday and Tuesday, each into the next UTC day',
      rule('Pacific Standard Time', '08:00:00', '17:00:00'),
      window('2026-01-05T00:00:00Z', '2026-01-07T00:00:00Z'),
      ['2026-01-05T16:00Z/2026-01-06T01:00Z', '2026-01-06T16:00Z/2026-01-07T01:00Z'],
    ],
    [
      'Tokyo 09:00–18:00: the Monday hours start on Monday at midnight UTC',
      rule('Tokyo Standard Time', '09:00', '18:00'),
      window('2026-01-05T00:00:00Z', '2026-01-06T00:00:00Z'),
      ['2026-01-05T00:00Z/2026-01-05T09:00Z'],
    ],
    [
      'India Standard Time, half an hour off the hour',
      rule('India Standard Time', '09:30:00.0000000', '18:00:00.0000000'),
      window('2026-01-05T00:00:00Z', '2026-01-06T00:00:00Z'),
      ['2026-01-05T04:00Z/2026-01-05T12:30Z'],
    ],
    [
      'W. Europe Standard Time across the spring change: an hour earlier in UTC after it',
      rule('W. Europe Standard Time', '09:00', '17:00', ['friday', 'monday']),
      window('2026-03-27T00:00:00Z', '2026-03-31T00:00:00Z'),
      ['2026-03-27T08:00Z/2026-03-27T16:00Z', '2026-03-30T07:00Z/2026-03-30T15:00Z'],
    ],
    [
      'a night shift runs past midnight',
      rule('UTC', '22:00', '06:00', ['monday']),
      window('2026-01-05T00:00:00Z', '2026-01-07T00:00:00Z'),
      ['2026-01-05T22:00Z/2026-01-06T06:00Z'],
    ],
    [
      'a day that ends at 24:00 ends at midnight',
      rule('UTC', '12:00', '24:00', ['monday']),
      window('2026-01-05T00:00:00Z', '2026-01-06T00:00:00Z'),
      ['2026-01-05T12:00Z/2026-01-06T00:00Z'],
    ],
    ['no working day in the window: no hours', rule('UTC', '09:00', '17:00'), window('2026-01-10T00:00:00Z', '2026-01-12T00:00:00Z'), []],
  ])('%s', (_name, hours, searched, expected) => {
    expect(workingIntervals(hours, searched).map((interval) => `${iso(interval.startMs)}/${iso(interval.endMs)}`)).toEqual(expected);
  });
});

describe('time zones', () => {
  it.each<[string, string | null]>([
    ['Pacific Standard Time', 'America/Los_Angeles'],
    ['pacific standard time', 'America/Los_Angeles'],
    ['Europe/Paris', 'Europe/Paris'],
    ['UTC', 'UTC'],
    ['Customized Time Zone', null],
    ['', null],
  ])('%s is %s', (name, iana) => {
    expect(ianaZoneOf(name)).toBe(iana);
  });

  it('moves a time skipped by the spring change forward, and takes the first of a time that happens twice', () => {
    const losAngeles = 'America/Los_Angeles';
    expect(iso(instantOfWallClock({ year: 2026, month: 3, day: 8, hour: 2, minute: 30, second: 0 }, losAngeles))).toBe('2026-03-08T10:30Z');
    expect(iso(instantOfWallClock({ year: 2026, month: 11, day: 1, hour: 1, minute: 30, second: 0 }, losAngeles))).toBe('2026-11-01T08:30Z');
    expect(iso(instantOfWallClock({ year: 2026, month: 7, day: 1, hour: 9, minute: 0, second: 0 }, losAngeles))).toBe('2026-07-01T16:00Z');
  });
});
