import { Field, Int, ObjectType } from 'type-graphql';

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
}
