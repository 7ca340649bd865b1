/**
 * The seam between the fake's mailboxes and what watches them: every change to an event (made
 * through Graph's write routes or by a test's control) is announced here, once, after it is
 * stored. Change notifications (subscriptions) and delta queries are built on these announcements.
 */
export type MailboxChangeType = 'created' | 'updated' | 'deleted';

export interface MailboxChange {
  tenantId: string;
  /** the Graph user id (object id) of the mailbox owner */
  userId: string;
  /** the calendar holding the event */
  calendarId: string;
  eventId: string;
  changeType: MailboxChangeType;
  /** epoch ms */
  at: number;
}

export type MailboxChangeListener = (change: MailboxChange) => void;

export class MailboxChanges {
  private readonly listeners = new Set<MailboxChangeListener>();

  /** Returns the function that stops listening. */
  onChange(listener: MailboxChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(change: MailboxChange): void {
    for (const listener of this.listeners) listener(change);
  }
}
