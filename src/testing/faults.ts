/**
 * Fault injection for the mock peer: make it misbehave the ways a real peer or network can, so
 * tests can prove a shim copes (answers ERROR, times out, drops the stream, reorders replies).
 */
import { ChaincodeMessage_Type } from '../gen/peer/chaincode_shim_pb';

/** A ChaincodeMessage type name, e.g. `'GET_STATE'`; `'*'` matches every talk-back. */
export type MessageTypeName = keyof typeof ChaincodeMessage_Type | '*';

/** Which occurrence a rule applies to: `nth` counts matching talk-backs from 1 since the rule was added; omitted = every one. */
export interface FaultTarget {
  nth?: number;
}

/** What the peer does instead of (or before) answering a talk-back normally. */
export type FaultAction =
  | { readonly kind: 'error'; readonly message: string }
  | { readonly kind: 'delay'; readonly ms: number }
  | { readonly kind: 'malformed' }
  | { readonly kind: 'close' }
  | { readonly kind: 'drop' };

interface Rule {
  readonly type: MessageTypeName;
  readonly nth: number | undefined;
  readonly action: FaultAction;
  seen: number;
}

/**
 * Bytes no protobuf decoder accepts: field 1, wire type 2 (length-delimited) announcing more
 * bytes than follow.
 */
export const MALFORMED_PAYLOAD: Uint8Array = Uint8Array.of(0x0a, 0x7f, 0x01);

/**
 * The fault plan of one chaincode connection (`cc.faults`). Rules stack; each counts its own
 * matches. Example: `cc.faults.errorOn('GET_STATE', { nth: 2 })` answers the second GET_STATE
 * with ERROR.
 */
export class Faults {
  private rules: Rule[] = [];
  private reorderLeft = 0;

  private add(type: MessageTypeName, target: FaultTarget | undefined, action: FaultAction): this {
    this.rules.push({ type, nth: target?.nth, action, seen: 0 });
    return this;
  }

  /** Answer matching talk-backs with ERROR carrying `message`. */
  errorOn(type: MessageTypeName, opts?: FaultTarget & { message?: string }): this {
    return this.add(type, opts, { kind: 'error', message: opts?.message ?? `injected fault: ${type} failed` });
  }

  /** Wait `ms` before answering matching talk-backs. */
  delay(type: MessageTypeName, ms: number, opts?: FaultTarget): this {
    return this.add(type, opts, { kind: 'delay', ms });
  }

  /** Answer matching talk-backs with RESPONSE whose payload does not decode ({@link MALFORMED_PAYLOAD}). */
  malformed(type: MessageTypeName, opts?: FaultTarget): this {
    return this.add(type, opts, { kind: 'malformed' });
  }

  /** Close the stream instead of answering (the peer going away mid-transaction). */
  closeStreamOn(type: MessageTypeName, opts?: FaultTarget): this {
    return this.add(type, opts, { kind: 'close' });
  }

  /** Never answer matching talk-backs (the transaction then hits its timeout). */
  drop(type: MessageTypeName, opts?: FaultTarget): this {
    return this.add(type, opts, { kind: 'drop' });
  }

  /**
   * Hold the next `count` answers (RESPONSE/ERROR to talk-backs, across transactions) and send
   * them in reverse order once all are held: replies for concurrent transactions arrive out of order.
   */
  reorder(count: number): this {
    this.reorderLeft = count;
    return this;
  }

  /** Removes every rule and any pending reorder. */
  clear(): void {
    this.rules = [];
    this.reorderLeft = 0;
  }

  /** The actions that apply to one talk-back of `type` (advances each matching rule's count). */
  match(type: ChaincodeMessage_Type): FaultAction[] {
    const name = ChaincodeMessage_Type[type];
    const out: FaultAction[] = [];
    for (const rule of this.rules) {
      if (rule.type !== '*' && rule.type !== name) continue;
      rule.seen += 1;
      if (rule.nth === undefined || rule.nth === rule.seen) out.push(rule.action);
    }
    return out;
  }

  /** How many more answers the reorder buffer should hold; consumed by the session. */
  takeReorderSlot(): boolean {
    if (this.reorderLeft <= 0) return false;
    this.reorderLeft -= 1;
    return true;
  }

  /** True when the last held answer was taken (time to flush the buffer). */
  get reorderComplete(): boolean {
    return this.reorderLeft === 0;
  }
}
