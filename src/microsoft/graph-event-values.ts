import { UnexpectedPayloadError } from './graph-resources';

/**
 * The gateway's names for Graph's event enumerations (upper case, as GraphQL enums are written)
 * and the translation both ways: reads turn Graph's `tentativelyAccepted` into
 * `TENTATIVELY_ACCEPTED`, writes turn it back.
 */

export const FreeBusyStatus = {
  FREE: 'FREE',
  TENTATIVE: 'TENTATIVE',
  BUSY: 'BUSY',
  OOF: 'OOF',
  WORKING_ELSEWHERE: 'WORKING_ELSEWHERE',
  UNKNOWN: 'UNKNOWN',
} as const;
export type FreeBusyStatus = (typeof FreeBusyStatus)[keyof typeof FreeBusyStatus];

export const AttendeeType = { REQUIRED: 'REQUIRED', OPTIONAL: 'OPTIONAL', RESOURCE: 'RESOURCE' } as const;
export type AttendeeType = (typeof AttendeeType)[keyof typeof AttendeeType];

export const ResponseStatus = {
  NONE: 'NONE',
  ORGANIZER: 'ORGANIZER',
  TENTATIVELY_ACCEPTED: 'TENTATIVELY_ACCEPTED',
  ACCEPTED: 'ACCEPTED',
  DECLINED: 'DECLINED',
  NOT_RESPONDED: 'NOT_RESPONDED',
} as const;
export type ResponseStatus = (typeof ResponseStatus)[keyof typeof ResponseStatus];

export const EventType = { SINGLE_INSTANCE: 'SINGLE_INSTANCE', OCCURRENCE: 'OCCURRENCE', EXCEPTION: 'EXCEPTION', SERIES_MASTER: 'SERIES_MASTER' } as const;
export type EventType = (typeof EventType)[keyof typeof EventType];

export const Sensitivity = { NORMAL: 'NORMAL', PERSONAL: 'PERSONAL', PRIVATE: 'PRIVATE', CONFIDENTIAL: 'CONFIDENTIAL' } as const;
export type Sensitivity = (typeof Sensitivity)[keyof typeof Sensitivity];

/** One Graph enumeration: its wire values by the gateway's names. */
export class GraphEnum<T extends string> {
  private readonly fromWire: Map<string, T>;

  constructor(
    private readonly graphType: string,
    private readonly toWire: Record<T, string>,
  ) {
    this.fromWire = new Map(Object.entries<string>(toWire).map(([name, wire]) => [wire.toLowerCase(), name as T]));
  }

  /** Graph's value as the gateway's name; a value Graph added since (or a typo of a proxy) is refused, not guessed. */
  read(wire: string): T {
    const value = this.fromWire.get(wire.toLowerCase());
    if (value === undefined) throw new UnexpectedPayloadError(`a ${this.graphType}`, `"${wire}" is not one of ${Object.values(this.toWire).join(', ')}`);
    return value;
  }

  /** The gateway's name as Graph spells it, for request bodies. */
  write(value: T): string {
    return this.toWire[value];
  }
}

export const graphFreeBusyStatus = new GraphEnum<FreeBusyStatus>('freeBusyStatus', {
  FREE: 'free',
  TENTATIVE: 'tentative',
  BUSY: 'busy',
  OOF: 'oof',
  WORKING_ELSEWHERE: 'workingElsewhere',
  UNKNOWN: 'unknown',
});
export const graphAttendeeType = new GraphEnum<AttendeeType>('attendeeType', { REQUIRED: 'required', OPTIONAL: 'optional', RESOURCE: 'resource' });
export const graphResponseStatus = new GraphEnum<ResponseStatus>('responseType', {
  NONE: 'none',
  ORGANIZER: 'organizer',
  TENTATIVELY_ACCEPTED: 'tentativelyAccepted',
  ACCEPTED: 'accepted',
  DECLINED: 'declined',
  NOT_RESPONDED: 'notResponded',
});
export const graphEventType = new GraphEnum<EventType>('eventType', {
  SINGLE_INSTANCE: 'singleInstance',
  OCCURRENCE: 'occurrence',
  EXCEPTION: 'exception',
  SERIES_MASTER: 'seriesMaster',
});
export const graphSensitivity = new GraphEnum<Sensitivity>('sensitivity', { NORMAL: 'normal', PERSONAL: 'personal', PRIVATE: 'private', CONFIDENTIAL: 'confidential' });
