import { randomBytes, randomUUID } from 'node:crypto';
import { ClientCapability } from '../../src/access/caller';
import { ClientTokenSigner } from '../../src/access/client-token';
import { GatewayKeys } from '../../src/crypto/keys';
import { withUserRevocation } from '../../src/tenants/tenant.service';

const signer = new ClientTokenSigner(new GatewayKeys(randomBytes(32)));
const claims = { tenantId: randomUUID(), userId: null, capabilities: [ClientCapability.READ_DIRECTORY] };

afterEach(() => jest.useRealTimers());

it('verifies what it signed, and a remembered token still expires on time', async () => {
  jest.useFakeTimers({ now: new Date('2026-12-01T10:00:00Z') });
  const { token, expiresAt } = await signer.sign(claims, 60);
  expect(expiresAt.toISOString()).toBe('2026-12-01T10:01:00.000Z');
  const issuedAt = new Date('2026-12-01T10:00:00Z');
  expect(await signer.verify(token)).toEqual({ ...claims, issuedAt, expiresAt });
  expect(await signer.verify(token)).toEqual({ ...claims, issuedAt, expiresAt });
  jest.setSystemTime(new Date('2026-12-01T10:01:00Z'));
  await expect(signer.verify(token)).rejects.toMatchObject({ reason: 'expired', message: expect.stringContaining('expired at 2026-12-01T10:01:00.000Z') });
});

it('dates a token minted in the second of a revocation at the revocation, so it is not taken for a revoked one', async () => {
  jest.useFakeTimers({ now: new Date('2026-12-01T10:00:00.300Z') });
  const { token, expiresAt } = await signer.sign(claims, 60, new Date('2026-12-01T10:00:01Z'));
  expect(expiresAt.toISOString()).toBe('2026-12-01T10:01:01.000Z');
  expect((await signer.verify(token)).issuedAt.toISOString()).toBe('2026-12-01T10:00:01.000Z');
  // An older revocation changes nothing.
  const later = await signer.sign(claims, 60, new Date('2026-11-30T10:00:00Z'));
  expect((await signer.verify(later.token)).issuedAt.toISOString()).toBe('2026-12-01T10:00:00.000Z');
});

it("refuses another gateway's tokens", async () => {
  const other = new ClientTokenSigner(new GatewayKeys(randomBytes(32)));
  const { token } = await other.sign(claims, 600);
  await expect(signer.verify(token)).rejects.toMatchObject({ reason: 'invalid' });
});

it("keeps a user's revocation for the longest token lifetime only, and never moves one back", () => {
  const hour = 3600_000;
  const now = new Date('2026-12-01T10:00:00Z');
  const held = { 'old-user': '2026-12-01T08:59:59.000Z', 'recent-user': '2026-12-01T09:30:00.000Z', adele: '2026-12-01T10:30:00.000Z' };
  expect(withUserRevocation(held, 'bianca', now, hour)).toEqual({ 'recent-user': '2026-12-01T09:30:00.000Z', adele: '2026-12-01T10:30:00.000Z', bianca: '2026-12-01T10:00:00.000Z' });
  expect(withUserRevocation(held, 'adele', now, hour).adele).toBe('2026-12-01T10:30:00.000Z');
  expect(withUserRevocation(null, 'adele', now, hour)).toEqual({ adele: '2026-12-01T10:00:00.000Z' });
});
