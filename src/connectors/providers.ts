import { ConnectorProvider } from './connector.entity';

export interface ScopeDefinition {
  name: string;
  description: string;
  required: boolean;
}

export interface ProviderDefinition {
  provider: ConnectorProvider;
  defaultSlug: string;
  defaultName: string;
  /** Graph application permissions an admin can grant, in the order the UI should show them. */
  scopes: ScopeDefinition[];
  /** Selected for a new connector, besides the required ones. */
  defaultScopes: string[];
}

/** Microsoft Graph application permissions (resource 00000003-0000-0000-c000-000000000000). */
const outlookCalendarAdmin: ProviderDefinition = {
  provider: ConnectorProvider.OUTLOOK_CALENDAR_ADMIN,
  defaultSlug: 'outlook-calendar-admin',
  defaultName: 'Outlook Calendar Admin',
  scopes: [
    {
      name: 'Directory.Read.All',
      description: "Read directory data: lists the organisation's users and reads its name. Always required.",
      required: true,
    },
    { name: 'User.Read.All', description: "Read all users' full profiles.", required: false },
    {
      name: 'Calendars.ReadBasic.All',
      description: 'Read events of all calendars, without body, attachments or extensions.',
      required: false,
    },
    { name: 'Calendars.Read', description: 'Read all calendars and events in every mailbox, in full.', required: false },
    {
      name: 'Calendars.ReadWrite',
      description: 'Read, create, update and delete events in every mailbox.',
      required: false,
    },
    {
      name: 'MailboxSettings.Read',
      description: "Read every user's mailbox settings: time zone, working hours, automatic replies.",
      required: false,
    },
    { name: 'Place.Read.All', description: 'Read rooms and room lists defined in the organisation.', required: false },
  ],
  defaultScopes: ['Calendars.Read'],
};

export const providers: Record<ConnectorProvider, ProviderDefinition> = {
  [ConnectorProvider.OUTLOOK_CALENDAR_ADMIN]: outlookCalendarAdmin,
};

export function requiredScopes(provider: ConnectorProvider): string[] {
  return providers[provider].scopes.filter((scope) => scope.required).map((scope) => scope.name);
}
