import { createHash } from 'node:crypto';
import { base64From } from './seeded-random';

/**
 * Outlook-shaped ids ("AAMkAG…=") that the fake can read back: a generated event's id carries
 * where it was generated (calendar, day, slot), so GET /events/{id} finds it without storing
 * anything, and a checksum, so a made-up id is simply unknown.
 */
export type GeneratedEventKind = 'instance' | 'seriesMaster';

export interface GeneratedEventAddress {
  kind: GeneratedEventKind;
  calendarIndex: number;
  day: number;
  slot: number;
}

const PREFIX = 'AAMkAG';
const ID_BYTES = 42;
const KIND_CODES: Record<GeneratedEventKind, number> = { instance: 1, seriesMaster: 2 };

/** An id from a seed alone, for calendars and created events (the fake stores those). */
export function outlookId(seed: string): string {
  return `${PREFIX}${base64From(seed, ID_BYTES).replace(/\+/g, '-').replace(/\//g, '_')}=`;
}

export function generatedEventId(mailboxId: string, address: GeneratedEventAddress): string {
  const bytes = Buffer.alloc(ID_BYTES);
  mailboxHash(mailboxId).copy(bytes, 0);
  bytes.writeUInt8(KIND_CODES[address.kind], 12);
  bytes.writeUInt16BE(address.calendarIndex, 13);
  bytes.writeInt32BE(address.day, 15);
  bytes.writeUInt16BE(address.slot, 19);
  checksum(bytes.subarray(0, 21)).copy(bytes, 21);
  return `${PREFIX}${bytes.toString('base64url')}=`;
}

export function readGeneratedEventId(mailboxId: string, id: string): GeneratedEventAddress | undefined {
  if (!id.startsWith(PREFIX) || !id.endsWith('=')) return undefined;
  const bytes = Buffer.from(id.slice(PREFIX.length, -1), 'base64url');
  if (bytes.length !== ID_BYTES || !bytes.subarray(0, 12).equals(mailboxHash(mailboxId))) return undefined;
  if (!bytes.subarray(21).equals(checksum(bytes.subarray(0, 21)))) return undefined;
  const kind = (Object.keys(KIND_CODES) as GeneratedEventKind[]).find((name) => KIND_CODES[name] === bytes.readUInt8(12));
  if (!kind) return undefined;
  return { kind, calendarIndex: bytes.readUInt16BE(13), day: bytes.readInt32BE(15), slot: bytes.readUInt16BE(19) };
}

function mailboxHash(mailboxId: string): Buffer {
  return createHash('sha256').update(`mailbox:${mailboxId.toLowerCase()}`).digest().subarray(0, 12);
}

function checksum(bytes: Buffer): Buffer {
  return createHash('sha256').update(bytes).digest().subarray(0, ID_BYTES - 21);
}
