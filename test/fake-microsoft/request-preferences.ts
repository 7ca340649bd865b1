import type { GraphRequest } from './graph-envelope';
import { UTC_ZONE, requireTimeZone, type TimeZone } from './time-zones';

/**
 * The Prefer header of an Outlook request: `outlook.timezone="…"`, `odata.maxpagesize=N`,
 * `IdType="ImmutableId"`. Clients send several in one header, comma-separated, or in several
 * headers (Node joins them with ", "), so both read the same.
 */
export interface RequestPreferences {
  /** UTC unless `outlook.timezone` names a zone; an unknown name fails the request. */
  timeZone: TimeZone;
  timeZoneGiven: boolean;
  maxPageSize?: number;
  /** 'ImmutableId' is accepted; the fake's ids never change, so both kinds read the same. */
  idType?: string;
}

export function readPreferences(request: GraphRequest): RequestPreferences {
  const preferences: RequestPreferences = { timeZone: UTC_ZONE, timeZoneGiven: false };
  for (const [name, value] of preferenceEntries(request.headers.prefer ?? '')) {
    if (name === 'outlook.timezone') {
      preferences.timeZone = requireTimeZone(value);
      preferences.timeZoneGiven = true;
    } else if (name === 'odata.maxpagesize' && /^\d+$/.test(value) && Number(value) > 0) {
      preferences.maxPageSize = Number(value);
    } else if (name === 'idtype') {
      preferences.idType = value;
    }
  }
  return preferences;
}

/** The Preference-Applied header Graph sends back for the time zone and page size it honoured. */
export function preferenceApplied(preferences: RequestPreferences, pageSizeApplied = false): Record<string, string> {
  const applied: string[] = [];
  if (preferences.timeZoneGiven) applied.push(`outlook.timezone="${preferences.timeZone.label}"`);
  if (pageSizeApplied && preferences.maxPageSize !== undefined) applied.push(`odata.maxpagesize=${preferences.maxPageSize}`);
  return applied.length > 0 ? { 'Preference-Applied': applied.join(', ') } : {};
}

function preferenceEntries(header: string): Array<[string, string]> {
  const entries: Array<[string, string]> = [];
  for (const match of header.matchAll(/([A-Za-z][\w.-]*)\s*=\s*("([^"]*)"|[^,;\s]*)/g)) {
    entries.push([match[1].toLowerCase(), match[3] ?? match[2]]);
  }
  return entries;
}
