/**
 * Marbles with the plain shim API: a ChaincodeInterface that dispatches on the function
 * name, as fabric-shim chaincode does.
 */
import { Shim, type ChaincodeInterface, type ChaincodeResponse, type ChaincodeStub } from 'fabric-shim-ts';
import { COLOR_INDEX, deleteOwnerIndex, getMarble, putMarble, type Marble } from './marble';
import * as q from './queries';

type Handler = (stub: ChaincodeStub, params: string[]) => Promise<unknown>;

/** Reads parameter `i`, failing with a message that names it. */
function param(params: string[], i: number, name: string): string {
  const value = params[i];
  if (value === undefined || value === '') throw new Error(`argument ${i + 1} (${name}) must be a non-empty string`);
  return value;
}

/** Parses a positive integer parameter (sizes, page sizes). */
function intParam(params: string[], i: number, name: string): number {
  const text = param(params, i, name);
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`argument ${i + 1} (${name}) must be a positive integer, got '${text}'`);
  return n;
}

async function initMarble(stub: ChaincodeStub, params: string[]): Promise<Marble> {
  if (params.length !== 4) throw new Error('initMarble expects 4 arguments: name, color, size, owner');
  const name = param(params, 0, 'name');
  if (await getMarble(stub, name)) throw new Error(`marble ${name} already exists`);
  const marble: Marble = {
    docType: 'marble',
    name,
    color: param(params, 1, 'color').toLowerCase(),
    size: intParam(params, 2, 'size'),
    owner: param(params, 3, 'owner').toLowerCase(),
  };
  await putMarble(stub, marble);
  return marble;
}

async function readMarble(stub: ChaincodeStub, params: string[]): Promise<Marble> {
  const name = param(params, 0, 'name');
  const marble = await getMarble(stub, name);
  if (!marble) throw new Error(`marble ${name} does not exist`);
  return marble;
}

async function deleteMarble(stub: ChaincodeStub, params: string[]): Promise<void> {
  const marble = await readMarble(stub, params);
  await stub.deleteState(marble.name);
  await stub.deleteState(stub.createCompositeKey(COLOR_INDEX, [marble.color, marble.name]));
  await deleteOwnerIndex(stub, marble);
}

async function transferMarble(stub: ChaincodeStub, params: string[]): Promise<Marble> {
  const marble = await readMarble(stub, params);
  const newOwner = param(params, 1, 'newOwner').toLowerCase();
  await deleteOwnerIndex(stub, marble);
  const moved = { ...marble, owner: newOwner };
  await putMarble(stub, moved);
  return moved;
}

/**
 * Gives every marble of a colour to a new owner. The writes go through a write batch:
 * with a peer that advertises it (Fabric 3.1+), they travel in a few WRITE_BATCH_STATE
 * messages instead of one round trip per key; with an older peer they are sent one by one.
 */
async function transferMarblesBasedOnColor(stub: ChaincodeStub, params: string[]): Promise<{ transferred: string[] }> {
  const color = param(params, 0, 'color').toLowerCase();
  const newOwner = param(params, 1, 'newOwner').toLowerCase();
  const names = await q.getMarbleNamesByColor(stub, color);
  const marbles: Marble[] = [];
  for (const name of names) {
    const m = await getMarble(stub, name);
    if (m) marbles.push(m);
  }
  stub.startWriteBatch();
  for (const marble of marbles) {
    await deleteOwnerIndex(stub, marble);
    await putMarble(stub, { ...marble, owner: newOwner });
  }
  await stub.finishWriteBatch();
  return { transferred: marbles.map((m) => m.name) };
}

const handlers: Record<string, Handler> = {
  initMarble,
  readMarble,
  deleteMarble,
  transferMarble,
  transferMarblesBasedOnColor,
  getMarblesByRange: (stub, p) => q.getMarblesByRange(stub, p[0] ?? '', p[1] ?? ''),
  getMarblesByRangeWithPagination: (stub, p) =>
    q.getMarblesByRangeWithPagination(stub, p[0] ?? '', p[1] ?? '', intParam(p, 2, 'pageSize'), p[3] ?? ''),
  getMarblesByColor: (stub, p) => q.getMarbleNamesByColor(stub, param(p, 0, 'color').toLowerCase()),
  getMarblesByColorWithPagination: (stub, p) =>
    q.getMarbleNamesByColorWithPagination(stub, param(p, 0, 'color').toLowerCase(), intParam(p, 1, 'pageSize'), p[2] ?? ''),
  queryMarblesByOwner: (stub, p) => q.queryMarblesByOwner(stub, param(p, 0, 'owner').toLowerCase()),
  queryMarbles: (stub, p) => q.queryMarbles(stub, param(p, 0, 'query')),
  queryMarblesWithPagination: (stub, p) => q.queryMarblesWithPagination(stub, param(p, 0, 'query'), intParam(p, 1, 'pageSize'), p[2] ?? ''),
  getHistoryForMarble: (stub, p) => q.getHistoryForMarble(stub, param(p, 0, 'name')),
};

/** The marbles chaincode: each function's result is returned as JSON in the payload. */
export class MarblesChaincode implements ChaincodeInterface {
  /** Nothing to set up: marbles are created by transactions. */
  async Init(_stub: ChaincodeStub): Promise<ChaincodeResponse> {
    return Shim.success();
  }

  /** Dispatches on the function name; an error becomes an error response (writes discarded). */
  async Invoke(stub: ChaincodeStub): Promise<ChaincodeResponse> {
    const { fcn, params } = stub.getFunctionAndParameters();
    const handler = handlers[fcn];
    if (!handler) return Shim.error(`unknown function '${fcn}'; expected one of ${Object.keys(handlers).join(', ')}`);
    try {
      const result = await handler(stub, params);
      return Shim.success(Buffer.from(result === undefined ? '' : JSON.stringify(result)));
    } catch (err) {
      return Shim.error(err instanceof Error ? err.message : String(err));
    }
  }
}
