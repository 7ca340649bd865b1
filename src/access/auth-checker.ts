import type { AuthChecker } from 'type-graphql';
import type { GatewayContext } from '../context';
import { GatewayError } from '../errors';

/** Every operation but the public catalog needs an admin API key. */
export const adminAuthChecker: AuthChecker<GatewayContext> = ({ context }) => {
  if (context.apiKeyId) return true;
  throw new GatewayError(
    'UNAUTHENTICATED',
    'This operation needs an admin API key: send the header "Authorization: Bearer <XKIT_ADMIN_API_KEY>" (the key printed at first start, or one made with createApiKey)',
  );
};
