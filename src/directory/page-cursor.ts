import { GatewayKeys } from '../crypto/keys';
import { badInput } from '../errors';

interface CursorPayload {
  /** the gateway's tenant id */
  t: string;
  /** the list: users (absent in cursors issued before rooms had pages) or rooms */
  l?: string;
  /** the users search the page belongs to */
  q?: string;
  /** Graph's continuation: a $skiptoken, or a $skip offset as text */
  s: string;
}

/** What a page belongs to: a cursor is only accepted for the same list, search and tenant. */
export interface PageBinding {
  list: 'users' | 'rooms';
  search?: string | null;
}

/**
 * `endCursor` is a signed wrapper around Graph's continuation (a `$skiptoken`, or a `$skip`
 * offset). The gateway rebuilds the Graph URL itself, so a cursor can only ever choose a page of
 * the list and search it came from, never a host, a path or another search.
 */
export class PageCursorCodec {
  constructor(private readonly keys: GatewayKeys) {}

  encode(tenantId: string, binding: PageBinding, continuation: string): string {
    const payload: CursorPayload = { t: tenantId, s: continuation };
    if (binding.list !== 'users') payload.l = binding.list;
    if (binding.search) payload.q = binding.search;
    return this.keys.sign(payload);
  }

  /** The continuation; refuses a forged cursor or one of another list or search, and of another tenant when `tenantId` is given. */
  decode(tenantId: string | null, binding: PageBinding, cursor: string): string {
    const payload = this.keys.verify<CursorPayload>(cursor);
    if (!payload || typeof payload.s !== 'string' || typeof payload.t !== 'string') {
      throw badInput('`after` is not a cursor this gateway issued: pass pageInfo.endCursor from the previous page unchanged', { field: 'after' });
    }
    if ((payload.l ?? 'users') !== binding.list) {
      throw badInput(`\`after\` is a cursor of another list (${payload.l ?? 'users'}): use the endCursor of this list's previous page`, { field: 'after' });
    }
    if ((payload.q ?? null) !== (binding.search || null)) {
      throw badInput(
        '`after` is a cursor of another search: pass the endCursor of the previous page of the same search, or leave `after` out to start this one',
        { field: 'after' },
      );
    }
    if (tenantId !== null && payload.t !== tenantId) {
      throw badInput("`after` is a cursor of another tenant: use the endCursor of this tenant's previous page", { field: 'after' });
    }
    return payload.s;
  }
}
