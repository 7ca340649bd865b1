import { GatewayKeys } from '../crypto/keys';
import { badInput } from '../errors';

interface CursorPayload {
  /** the gateway's tenant id */
  t: string;
  /** Graph's $skiptoken: only this value is kept from Graph's nextLink */
  s: string;
}

/**
 * `endCursor` is a signed wrapper around Graph's $skiptoken. The gateway rebuilds the Graph URL
 * itself, so a cursor can only ever choose a page, never a host or a path.
 */
export class UserCursorCodec {
  constructor(private readonly keys: GatewayKeys) {}

  encode(tenantId: string, skipToken: string): string {
    return this.keys.sign({ t: tenantId, s: skipToken } satisfies CursorPayload);
  }

  decode(tenantId: string, cursor: string): string {
    const payload = this.keys.verify<CursorPayload>(cursor);
    if (!payload || typeof payload.s !== 'string' || typeof payload.t !== 'string') {
      throw badInput('`after` is not a cursor this gateway issued: pass pageInfo.endCursor from the previous page unchanged', { field: 'after' });
    }
    if (payload.t !== tenantId) {
      throw badInput('`after` is a cursor of another tenant: use the endCursor of this tenant\'s previous page', { field: 'after' });
    }
    return payload.s;
  }
}
