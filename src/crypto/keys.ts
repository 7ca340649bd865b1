import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Everything the gateway does with XKIT_SECRET_KEY. Separate subkeys are derived for
 * encryption and for signing, so one purpose can never be used to attack the other.
 */
export class GatewayKeys {
  private readonly encryptionKey: Buffer;
  private readonly signingKey: Buffer;

  constructor(private readonly masterKey: Buffer) {
    this.encryptionKey = this.subkey('xkit/encrypt/v1');
    this.signingKey = this.subkey('xkit/sign/v1');
  }

  /** A 32-byte key for one purpose (its HKDF info, e.g. "xkit/client-token/v1"), independent of every other. */
  subkey(purpose: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.masterKey, Buffer.alloc(0), purpose, 32));
  }

  /** AES-256-GCM; `context` (e.g. the connector id) is bound as associated data. */
  encrypt(plaintext: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encryptionKey, iv);
    cipher.setAAD(Buffer.from(context));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), ciphertext.toString('base64')].join(':');
  }

  decrypt(sealed: string, context: string): string {
    const [version, iv, tag, ciphertext] = sealed.split(':');
    if (version !== 'v1' || !iv || !tag || ciphertext === undefined) throw new Error('unrecognised sealed secret format');
    const decipher = createDecipheriv('aes-256-gcm', this.encryptionKey, Buffer.from(iv, 'base64'));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]).toString('utf8');
  }

  /** base64url(JSON payload) + "." + base64url(HMAC-SHA256), for consent states and cursors. */
  sign(payload: object): string {
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  /** The payload when the signature is ours, otherwise null. */
  verify<T>(token: string): T | null {
    const dot = token.indexOf('.');
    if (dot <= 0 || token.length > 4096) return null;
    const body = token.slice(0, dot);
    const given = Buffer.from(token.slice(dot + 1), 'base64url');
    const expected = Buffer.from(this.mac(body), 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    try {
      return JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as T;
    } catch {
      return null;
    }
  }

  /**
   * A value only this gateway can compute for a purpose and an id (43 url-safe characters): the
   * PKCE verifier and nonce of a consent's sign-in, bound to its state without storing them.
   */
  derive(purpose: string, id: string): string {
    return createHmac('sha256', this.signingKey).update(`${purpose}\u0000${id}`).digest('base64url');
  }

  private mac(body: string): string {
    return createHmac('sha256', this.signingKey).update(body).digest('base64url');
  }
}
