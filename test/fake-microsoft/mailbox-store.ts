import { readGeneratedEventId } from './event-ids';
import { DAY_MS, type EventRecord } from './event-record';
import { generatedEventById, generatedEventsOnDay } from './generated-events';
import type { MailboxOwner } from './mailbox-owner';
import { calendarIdOf } from './mailbox-content';
import type { MailboxChangeType, MailboxChanges } from './mailbox-changes';

/**
 * What writes did to mailboxes, layered over the generated events: replaced or deleted generated
 * events, created events, and one change log for all mailboxes (delta tokens are positions in it,
 * never times). Every stored change is announced on MailboxChanges once, after it is stored.
 */
export interface ChangeEntry {
  sequence: number;
  eventId: string;
  calendarIndex: number;
  changeType: MailboxChangeType;
}

interface MailboxState {
  /** Generated events a write replaced (the new record) or deleted (null). */
  overrides: Map<string, EventRecord | null>;
  created: Map<string, EventRecord>;
  log: ChangeEntry[];
  /** transactionId → the event it created, for Graph's create de-duplication. */
  transactions: Map<string, string>;
  /** Bumped to invalidate the delta tokens handed out so far (410 syncStateNotFound). */
  syncGeneration: number;
}

/** A meeting created through the fake: the organizer's event and each invited mailbox's copy, all with one iCalUId. */
export interface Meeting {
  organizer: MailboxOwner;
  organizerEventId: string;
  /** By mailbox id (lower case). */
  copies: Map<string, { owner: MailboxOwner; eventId: string }>;
}

export class MailboxStore {
  private readonly states = new Map<string, MailboxState>();
  private readonly meetings = new Map<string, Meeting>();
  private readonly tenantSyncGenerations = new Map<string, number>();
  private sequence = 0;

  constructor(private readonly changes: MailboxChanges) {}

  /** The events of one calendar overlapping [startMs, endMs), sorted by start as calendarView returns them. */
  eventsBetween(owner: MailboxOwner, calendarIndex: number, startMs: number, endMs: number): EventRecord[] {
    const state = this.peek(owner);
    const overlaps = (event: EventRecord) => event.startMs < endMs && (event.endMs > startMs || (event.endMs === event.startMs && event.startMs >= startMs));
    const found: EventRecord[] = [];
    for (let day = Math.floor(startMs / DAY_MS); day <= Math.floor((endMs - 1) / DAY_MS); day++) {
      for (const event of generatedEventsOnDay(owner, calendarIndex, day)) {
        if (state?.overrides.has(event.id)) continue;
        const masterId = event.resource.seriesMasterId as string | null;
        if (masterId && state?.overrides.get(masterId) === null) continue;
        if (overlaps(event)) found.push(event);
      }
    }
    for (const source of state ? [state.overrides.values(), state.created.values()] : []) {
      for (const event of source) if (event && event.calendarIndex === calendarIndex && event.resource.type !== 'seriesMaster' && overlaps(event)) found.push(event);
    }
    return found.sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs || (a.id < b.id ? -1 : 1));
  }

  find(owner: MailboxOwner, eventId: string): EventRecord | undefined {
    const state = this.peek(owner);
    const created = state?.created.get(eventId);
    if (created) return created;
    if (state?.overrides.has(eventId)) return state.overrides.get(eventId) ?? undefined;
    return generatedEventById(owner, eventId);
  }

  save(owner: MailboxOwner, event: EventRecord, changeType: 'created' | 'updated'): void {
    const state = this.state(owner);
    if (readGeneratedEventId(owner.mailbox.id, event.id)) state.overrides.set(event.id, event);
    else state.created.set(event.id, event);
    this.record(owner, state, event, changeType);
  }

  remove(owner: MailboxOwner, event: EventRecord): void {
    const state = this.state(owner);
    if (readGeneratedEventId(owner.mailbox.id, event.id)) state.overrides.set(event.id, null);
    else state.created.delete(event.id);
    this.record(owner, state, event, 'deleted');
  }

  /** The log position now: a delta round that starts here sees every later change. */
  currentSequence(): number {
    return this.sequence;
  }

  /** The changes to one calendar after `sequence`, oldest first. */
  changesSince(owner: MailboxOwner, calendarIndex: number, sequence: number): ChangeEntry[] {
    return (this.peek(owner)?.log ?? []).filter((entry) => entry.sequence > sequence && entry.calendarIndex === calendarIndex);
  }

  transactionEventId(owner: MailboxOwner, transactionId: string): string | undefined {
    return this.peek(owner)?.transactions.get(transactionId);
  }

  rememberTransaction(owner: MailboxOwner, transactionId: string, eventId: string): void {
    this.state(owner).transactions.set(transactionId, eventId);
  }

  /** Changes whenever the mailbox's (or its whole tenant's) delta tokens are invalidated. */
  syncGeneration(owner: MailboxOwner): string {
    return `${this.tenantSyncGenerations.get(owner.tenant.tenantId) ?? 0}.${this.peek(owner)?.syncGeneration ?? 0}`;
  }

  invalidateSync(owner: MailboxOwner): void {
    this.state(owner).syncGeneration++;
  }

  invalidateTenantSync(tenantId: string): void {
    this.tenantSyncGenerations.set(tenantId, (this.tenantSyncGenerations.get(tenantId) ?? 0) + 1);
  }

  meeting(owner: MailboxOwner, iCalUId: string): Meeting | undefined {
    return this.meetings.get(`${owner.tenant.tenantId}|${iCalUId}`);
  }

  setMeeting(owner: MailboxOwner, iCalUId: string, meeting: Meeting | undefined): void {
    const key = `${owner.tenant.tenantId}|${iCalUId}`;
    if (meeting) this.meetings.set(key, meeting);
    else this.meetings.delete(key);
  }

  private record(owner: MailboxOwner, state: MailboxState, event: EventRecord, changeType: MailboxChangeType): void {
    const entry = { sequence: ++this.sequence, eventId: event.id, calendarIndex: event.calendarIndex, changeType };
    state.log.push(entry);
    this.changes.emit({
      tenantId: owner.tenant.tenantId,
      userId: owner.mailbox.id,
      calendarId: calendarIdOf(owner.mailbox, event.calendarIndex),
      eventId: event.id,
      changeType,
      at: Date.now(),
    });
  }

  private peek(owner: MailboxOwner): MailboxState | undefined {
    return this.states.get(stateKey(owner));
  }

  private state(owner: MailboxOwner): MailboxState {
    const key = stateKey(owner);
    let state = this.states.get(key);
    if (!state) {
      state = { overrides: new Map(), created: new Map(), log: [], transactions: new Map(), syncGeneration: 0 };
      this.states.set(key, state);
    }
    return state;
  }
}

function stateKey(owner: MailboxOwner): string {
  return `${owner.tenant.tenantId}|${owner.mailbox.id.toLowerCase()}`;
}
