/** The marble document and the composite-key indexes kept next to it. */
import type { ChaincodeStub } from 'fabric-shim-ts';

/** A marble as stored in world state (JSON, so rich queries can select on its fields). */
export interface Marble {
  docType: 'marble';
  name: string;
  color: string;
  size: number;
  owner: string;
}

/** Composite-key index object types: colour then name, owner then name (as Fabric's marbles02). */
export const COLOR_INDEX = 'color~name';
/** See COLOR_INDEX. */
export const OWNER_INDEX = 'owner~name';

/**
 * Index entries carry no value of their own: the key is the data. Fabric refuses an
 * empty value as a delete, so a single zero byte is written, as the samples do.
 */
export const INDEX_VALUE = Uint8Array.of(0);

/** Serializes a marble with a fixed key order so every endorser writes identical bytes. */
export function marbleBytes(m: Marble): Uint8Array {
  const ordered: Marble = { docType: 'marble', name: m.name, color: m.color, size: m.size, owner: m.owner };
  return Buffer.from(JSON.stringify(ordered));
}

/** Parses a stored marble. */
export function parseMarble(bytes: Uint8Array): Marble {
  return JSON.parse(Buffer.from(bytes).toString('utf8')) as Marble;
}

/** Reads a marble, or undefined when the key holds nothing. */
export async function getMarble(stub: ChaincodeStub, name: string): Promise<Marble | undefined> {
  const bytes = await stub.getState(name);
  return bytes.length === 0 ? undefined : parseMarble(bytes);
}

/** Writes (or rewrites) a marble and its two index entries. */
export async function putMarble(stub: ChaincodeStub, m: Marble): Promise<void> {
  await stub.putState(m.name, marbleBytes(m));
  await stub.putState(stub.createCompositeKey(COLOR_INDEX, [m.color, m.name]), INDEX_VALUE);
  await stub.putState(stub.createCompositeKey(OWNER_INDEX, [m.owner, m.name]), INDEX_VALUE);
}

/** Removes the owner index entry of a marble (before its owner changes or it is deleted). */
export async function deleteOwnerIndex(stub: ChaincodeStub, m: Marble): Promise<void> {
  await stub.deleteState(stub.createCompositeKey(OWNER_INDEX, [m.owner, m.name]));
}
