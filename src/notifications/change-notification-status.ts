import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType('ChangeNotificationFailure', { description: 'A mailbox the gateway cannot watch at the moment, and why' })
export class ChangeNotificationFailure {
  @Field({ description: 'The Graph user id' })
  userId!: string;
  @Field({ description: "Microsoft's answer, in its words" })
  reason!: string;
}

@ObjectType('ChangeNotificationStatus', { description: "How the gateway watches this tenant's calendars for calendar.event.* webhooks" })
export class ChangeNotificationStatus {
  @Field(() => Int, { description: 'Mailboxes watched: the directory users with a mailbox address' })
  users!: number;
  @Field(() => Int, { description: 'Mailboxes with a live Graph subscription' })
  active!: number;
  @Field(() => Int, { description: 'Mailboxes whose last attempt failed (no Exchange mailbox, a missing permission, Microsoft unreachable); retried with a growing pause' })
  failing!: number;
  @Field(() => Date, { nullable: true, description: 'The next subscription renewal' })
  nextRenewalAt!: Date | null;
  @Field(() => [ChangeNotificationFailure], { description: 'Up to 10 of the failing mailboxes' })
  failures!: ChangeNotificationFailure[];
  @Field(() => String, { nullable: true, description: "Why the last check of the tenant's users and subscriptions failed (a missing directory permission, say)" })
  sweepError!: string | null;
}
