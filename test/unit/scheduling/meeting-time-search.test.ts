import { findMeetingTimes, freeTime, type Availability, type Interval } from '../../../src/scheduling/meeting-time-search';

/** Times as "HH:MM" on one day, so each row of the table reads like a calendar. */
const DAY = Date.UTC(2026, 0, 5);
const at = (time: string) => DAY + (Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5))) * 60_000;
const span = (from: string, to: string): Interval => ({ startMs: at(from), endMs: at(to) });
const clock = (ms: number) => new Date(ms).toISOString().slice(11, 16);
const shown = (slots: Interval[]) => slots.map((slot) => `${clock(slot.startMs)}-${clock(slot.endMs)}`);
const person = (busy: Interval[] = [], open: Interval[] | null = null): Availability => ({ busy, open });

describe('findMeetingTimes', () => {
  const window = { startMs: at('09:00'), endMs: at('11:00') };
  const minutes = (count: number) => count * 60_000;

  it.each<[string, Availability[], { duration: number; step: number; first?: number; from?: string; to?: string }, string[]]>([
    ['nobody busy: every step that fits', [person()], { duration: 30, step: 30 }, ['09:00-09:30', '09:30-10:00', '10:00-10:30', '10:30-11:00']],
    ['a busy half hour removes only the slots it overlaps', [person([span('09:30', '10:00')])], { duration: 30, step: 30 }, ['09:00-09:30', '10:00-10:30', '10:30-11:00']],
    ['slots may touch busy periods on both sides', [person([span('09:00', '09:30'), span('10:00', '10:30')])], { duration: 30, step: 30 }, ['09:30-10:00', '10:30-11:00']],
    ['everyone must be free', [person([span('09:00', '09:30')]), person([span('10:00', '11:00')])], { duration: 30, step: 30 }, ['09:30-10:00']],
    ['overlapping busy periods of one person join', [person([span('09:15', '09:45'), span('09:40', '10:10')])], { duration: 30, step: 15 }, ['10:15-10:45', '10:30-11:00']],
    ['a longer meeting at a finer step', [person([span('10:10', '10:20')])], { duration: 60, step: 15 }, ['09:00-10:00']],
    ['first bounds the answer', [person()], { duration: 30, step: 15, first: 2 }, ['09:00-09:30', '09:15-09:45']],
    ['open hours limit the slots', [person([], [span('08:00', '09:45'), span('10:30', '12:00')])], { duration: 30, step: 15 }, ['09:00-09:30', '09:15-09:45', '10:30-11:00']],
    ['open hours of two people intersect', [person([], [span('09:00', '10:00')]), person([], [span('09:30', '12:00')])], { duration: 30, step: 30 }, ['09:30-10:00']],
    ['a meeting longer than every free gap finds nothing', [person([span('09:50', '10:10')])], { duration: 60, step: 5 }, []],
    ['busy periods outside the window do not matter', [person([span('07:00', '09:00'), span('11:00', '12:00')])], { duration: 120, step: 30 }, ['09:00-11:00']],
    ['steps count from the window start', [person()], { duration: 30, step: 45, from: '09:10' }, ['09:10-09:40', '09:55-10:25']],
    ['nobody to meet: every slot', [], { duration: 60, step: 60 }, ['09:00-10:00', '10:00-11:00']],
  ])('%s', (_name, people, options, expected) => {
    const slots = findMeetingTimes(people, {
      startMs: options.from ? at(options.from) : window.startMs,
      endMs: options.to ? at(options.to) : window.endMs,
      durationMs: minutes(options.duration),
      stepMs: minutes(options.step),
      first: options.first ?? 10,
    });
    expect(shown(slots)).toEqual(expected);
  });
});

describe('freeTime', () => {
  it.each<[string, Availability, string[]]>([
    ['the whole window when nothing is booked', person(), ['09:00-11:00']],
    ['the window minus what is booked, clipped to it', person([span('08:00', '09:30'), span('10:00', '10:15')]), ['09:30-10:00', '10:15-11:00']],
    ['open hours that touch are one stretch', person([], [span('09:00', '10:00'), span('10:00', '10:30')]), ['09:00-10:30']],
    ['a booking across two open stretches cuts both', person([span('09:45', '10:45')], [span('09:00', '10:00'), span('10:30', '11:00')]), ['09:00-09:45', '10:45-11:00']],
  ])('%s', (_name, availability, expected) => {
    expect(shown(freeTime(availability, { startMs: at('09:00'), endMs: at('11:00') }))).toEqual(expected);
  });
});
