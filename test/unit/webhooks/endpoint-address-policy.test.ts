import { GatewayError } from '../../../src/errors';
import { isPublicAddress, validEndpointUrl, type Resolve } from '../../../src/webhooks/endpoint-address-policy';

describe('which addresses are public', () => {
  it.each([
    ['8.8.8.8', true],
    ['93.184.216.34', true],
    ['2606:4700::1111', true],
    ['127.0.0.1', false],
    ['127.255.0.9', false],
    ['10.0.0.1', false],
    ['172.16.0.1', false],
    ['172.31.255.255', false],
    ['172.32.0.1', true],
    ['192.168.0.10', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['0.0.0.0', false],
    ['224.0.0.1', false],
    ['255.255.255.255', false],
    ['::1', false],
    ['::', false],
    ['fe80::1', false],
    ['fd12:3456::1', false],
    ['::ffff:10.0.0.1', false],
    ['::ffff:8.8.8.8', true],
    ['not an address', false],
  ])('%s → %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });
});

describe('endpoint URLs', () => {
  const resolvesTo = (addresses: string[]): Resolve => async () => addresses;
  const refusedWith = async (url: string, resolve: Resolve, message: RegExp) => {
    const error = await validEndpointUrl(url, { allowLocal: false, resolve }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).message).toMatch(message);
  };

  it('accepts a public https URL and drops its fragment', async () => {
    await expect(validEndpointUrl('https://hooks.example.com/xkit?team=7#top', { allowLocal: false, resolve: resolvesTo(['93.184.216.34']) })).resolves.toBe('https://hooks.example.com/xkit?team=7');
  });

  it('refuses a name that resolves to a private address, even among public ones', async () => {
    await refusedWith('https://intranet.example.com/x', resolvesTo(['93.184.216.34', '10.0.0.8']), /10\.0\.0\.8, which is not a public internet address/);
  });

  it('refuses a name that does not resolve', async () => {
    await refusedWith('https://nowhere.example/x', async () => Promise.reject(new Error('ENOTFOUND')), /does not resolve in DNS/);
  });

  it('allows http and local addresses only when told to, without asking DNS', async () => {
    const never: Resolve = async () => {
      throw new Error('DNS must not be asked');
    };
    await expect(validEndpointUrl('http://127.0.0.1:9000/hook', { allowLocal: true, resolve: never })).resolves.toBe('http://127.0.0.1:9000/hook');
    await refusedWith('http://127.0.0.1:9000/hook', never, /absolute https URL/);
    await refusedWith('ftp://files.example.com/', never, /absolute https URL/);
    await refusedWith('', never, /url cannot be empty/);
  });
});
