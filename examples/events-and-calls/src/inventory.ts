/**
 * The called chaincode: stock levels per item, with the plain shim API. Other chaincode
 * reserves stock through `invokeChaincode`; each item's key can carry its own endorsement
 * policy (the supplier organisations that must endorse any change to it).
 */
import { KeyEndorsementPolicy, Shim, type ChaincodeInterface, type ChaincodeResponse, type ChaincodeStub } from 'fabric-shim-ts';

/** World-state key of an item's stock level. */
export function stockKey(item: string): string {
  return `stock:${item}`;
}

async function readStock(stub: ChaincodeStub, item: string): Promise<number> {
  const bytes = await stub.getState(stockKey(item));
  return bytes.length === 0 ? 0 : Number(Buffer.from(bytes).toString('utf8'));
}

function quantity(text: string | undefined): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`quantity must be a positive integer, got '${text ?? ''}'`);
  return n;
}

function item(text: string | undefined): string {
  if (text === undefined || text === '') throw new Error('item must be a non-empty string');
  return text;
}

const functions: Record<string, (stub: ChaincodeStub, params: string[]) => Promise<string>> = {
  /** stock(item, qty): adds stock; returns the new level. */
  async stock(stub, [name, qty]) {
    const level = (await readStock(stub, item(name))) + quantity(qty);
    await stub.putState(stockKey(item(name)), Buffer.from(String(level)));
    return String(level);
  },
  /** reserve(item, qty): takes stock out, or fails (and the whole transaction with it). */
  async reserve(stub, [name, qty]) {
    const have = await readStock(stub, item(name));
    const want = quantity(qty);
    if (want > have) throw new Error(`only ${have} of ${item(name)} in stock, ${want} requested`);
    await stub.putState(stockKey(item(name)), Buffer.from(String(have - want)));
    return String(have - want);
  },
  /** available(item): the current level. */
  async available(stub, [name]) {
    return String(await readStock(stub, item(name)));
  },
  /**
   * restrict(item, ...mspIds): from now on a change to this item must be endorsed by a
   * member of each listed organisation, whatever the chaincode-level policy says.
   * The key must hold a value: the peer drops a policy set on a key with none.
   */
  async restrict(stub, [name, ...orgs]) {
    if (orgs.length === 0) throw new Error('restrict needs at least one MSP id');
    if ((await stub.getState(stockKey(item(name)))).length === 0) {
      throw new Error(`stock ${item(name)} has no value; a key-level policy on it would be dropped`);
    }
    const policy = new KeyEndorsementPolicy();
    policy.addOrgs('MEMBER', ...orgs);
    await stub.setStateValidationParameter(stockKey(item(name)), policy.getPolicy());
    return JSON.stringify(policy.listOrgs());
  },
  /** endorsers(item): organisations named by the item's key-level policy (JSON array, [] if none). */
  async endorsers(stub, [name]) {
    const ep = await stub.getStateValidationParameter(stockKey(item(name)));
    // As fabric-shim: undefined (despite its declared type) when the key has no policy.
    if (!(ep as Uint8Array | undefined)?.length) return '[]';
    return JSON.stringify(new KeyEndorsementPolicy(ep).listOrgs().sort());
  },
};

/** The inventory chaincode. */
export class InventoryChaincode implements ChaincodeInterface {
  /** Nothing to initialise. */
  async Init(_stub: ChaincodeStub): Promise<ChaincodeResponse> {
    return Shim.success();
  }

  /** Dispatches on the function name; the result is the payload as text. */
  async Invoke(stub: ChaincodeStub): Promise<ChaincodeResponse> {
    const { fcn, params } = stub.getFunctionAndParameters();
    const fn = functions[fcn];
    if (!fn) return Shim.error(`unknown function '${fcn}'`);
    try {
      return Shim.success(Buffer.from(await fn(stub, params)));
    } catch (err) {
      return Shim.error(err instanceof Error ? err.message : String(err));
    }
  }
}

/**
 * The instance `fabric-shim-ts start --module dist/inventory.js` serves (the package's
 * `start:inventory` script); `orders` is the package's default chaincode.
 */
export const chaincode = new InventoryChaincode();
