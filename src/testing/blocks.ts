/**
 * The mock peer's ordering and commit: transactions are ordered into blocks per channel (cut
 * when a block holds `maxTransactions` or `timeoutMs` after its first transaction, as an
 * orderer's BatchSize/BatchTimeout), then validated in block order as a committing peer does
 * (duplicate txid, a verdict reached before ordering, MVCC and phantom reads) and only the
 * valid ones change the world state, at version {block, position}. Every transaction keeps its
 * validation code and block number (for CommitStatus) and every block its valid events (for
 * ChaincodeEvents).
 */
import type { ChaincodeEvent } from '../gen/peer/chaincode_event_pb';
import { TxValidationCode } from '../gen/peer/transaction_pb';
import type { ReadSet } from './simulation';
import { validateKeyPolicies, type Endorser } from './key-policies';
import { validateReadSet } from './validation';
import type { WorldState, WriteSet } from './world-state';

/** One endorsed transaction handed to ordering. */
export interface OrderedTransaction {
  readonly txId: string;
  readonly channelId: string;
  readonly timestamp: Date;
  readonly readSet: ReadSet;
  readonly writeSet: WriteSet;
  /** The transaction's chaincode event, if it set one. */
  readonly event?: ChaincodeEvent | undefined;
  /** A code already decided before ordering (e.g. ENDORSEMENT_POLICY_FAILURE); validation keeps it. */
  readonly verdict?: TxValidationCode;
  /** Who endorsed it, for key-level endorsement policies (not checked when absent). */
  readonly endorsers?: readonly Endorser[];
}

/** How a transaction was committed. */
export interface TransactionStatus {
  readonly txId: string;
  readonly channelId: string;
  readonly blockNumber: number;
  /** Position in the block. */
  readonly txNum: number;
  readonly code: TxValidationCode;
  /** The chaincode event; only valid transactions keep theirs (invalid ones emit nothing). */
  readonly event: ChaincodeEvent | undefined;
}

/** A committed block: its number and every transaction with its validation code. */
export interface CommittedBlock {
  readonly channelId: string;
  readonly number: number;
  readonly transactions: readonly TransactionStatus[];
}

/** When the orderer cuts a block. */
export interface BlockCutting {
  /** Default 10, as the Fabric test network's MaxMessageCount. */
  maxTransactions?: number;
  /** Default 20 ms (Fabric's default is 2 s; tests want blocks sooner). */
  timeoutMs?: number;
}

interface Channel {
  pending: OrderedTransaction[];
  timer: ReturnType<typeof setTimeout> | undefined;
  readonly blocks: CommittedBlock[];
  readonly statuses: Map<string, TransactionStatus>;
  readonly waiters: Map<string, Set<(status: TransactionStatus) => void>>;
  readonly blockWaiters: Set<() => void>;
}

/** Orders, validates and commits transactions into blocks; answers commit status. */
export class BlockLedger {
  private readonly ledger: WorldState;
  private readonly maxTransactions: number;
  private readonly timeoutMs: number;
  private readonly channels = new Map<string, Channel>();
  private closed = false;

  /** @param ledger the world state valid transactions are applied to. */
  constructor(ledger: WorldState, cutting: BlockCutting = {}) {
    this.ledger = ledger;
    this.maxTransactions = Math.max(1, cutting.maxTransactions ?? 10);
    this.timeoutMs = cutting.timeoutMs ?? 20;
  }

  private channel(channelId: string): Channel {
    let ch = this.channels.get(channelId);
    if (!ch) {
      ch = { pending: [], timer: undefined, blocks: [], statuses: new Map(), waiters: new Map(), blockWaiters: new Set() };
      this.channels.set(channelId, ch);
    }
    return ch;
  }

  /** Queues a transaction for the next block of its channel (the gateway's Submit). */
  order(tx: OrderedTransaction): void {
    if (this.closed) throw new Error('the mock peer is stopped');
    const ch = this.channel(tx.channelId);
    ch.pending.push(tx);
    if (ch.pending.length >= this.maxTransactions) this.cut(tx.channelId);
    else ch.timer ??= setTimeout(() => this.cut(tx.channelId), this.timeoutMs);
  }

  /** Orders `tx` alone into a block now and returns its status (`invoke`: endorse and commit in one step). */
  commitNow(tx: OrderedTransaction): TransactionStatus {
    const block = this.commitBlock(tx.channelId, [tx]);
    return block.transactions[0] as TransactionStatus;
  }

  /** Cuts the pending transactions of a channel into a block now (no-op when none wait). */
  cut(channelId: string): CommittedBlock | undefined {
    const ch = this.channel(channelId);
    if (ch.timer !== undefined) clearTimeout(ch.timer);
    ch.timer = undefined;
    const txs = ch.pending.splice(0, this.maxTransactions);
    // More than a block's worth may have queued up; they start the next block's timer.
    if (ch.pending.length > 0) ch.timer = setTimeout(() => this.cut(channelId), this.timeoutMs);
    return txs.length > 0 ? this.commitBlock(channelId, txs) : undefined;
  }

  private commitBlock(channelId: string, txs: readonly OrderedTransaction[]): CommittedBlock {
    const ch = this.channel(channelId);
    const number = this.ledger.reserveBlock(channelId);
    const inBlock = new Set<string>();
    const transactions = txs.map((tx, txNum): TransactionStatus => {
      let code = tx.verdict ?? TxValidationCode.VALID;
      // A txid already committed, or earlier in this block, is a replay.
      if (ch.statuses.has(tx.txId) || inBlock.has(tx.txId)) code = TxValidationCode.DUPLICATE_TXID;
      inBlock.add(tx.txId);
      // As the validator: endorsement (key-level policies of the keys written) before MVCC.
      if (code === TxValidationCode.VALID && tx.endorsers) code = validateKeyPolicies(this.ledger, channelId, tx.writeSet, tx.endorsers);
      if (code === TxValidationCode.VALID) code = validateReadSet(this.ledger, channelId, tx.readSet);
      if (code === TxValidationCode.VALID) this.ledger.commit(channelId, tx.writeSet, tx.txId, tx.timestamp, { blockNum: number, txNum });
      return { txId: tx.txId, channelId, blockNumber: number, txNum, code, event: code === TxValidationCode.VALID ? tx.event : undefined };
    });
    const block: CommittedBlock = { channelId, number, transactions };
    ch.blocks.push(block);
    for (const status of transactions) {
      // The first occurrence of a txid answers CommitStatus, as the peer's transaction index does.
      if (status.code === TxValidationCode.DUPLICATE_TXID) continue;
      ch.statuses.set(status.txId, status);
      const waiting = ch.waiters.get(status.txId);
      ch.waiters.delete(status.txId);
      for (const resolve of waiting ?? []) resolve(status);
    }
    const blockWaiters = [...ch.blockWaiters];
    ch.blockWaiters.clear();
    for (const notify of blockWaiters) notify();
    return block;
  }

  /** The status of a committed transaction, or undefined (not committed yet, or unknown). */
  status(channelId: string, txId: string): TransactionStatus | undefined {
    return this.channels.get(channelId)?.statuses.get(txId);
  }

  /** Resolves with the transaction's status once committed; rejects with `signal`'s reason when aborted. */
  waitForStatus(channelId: string, txId: string, signal?: AbortSignal): Promise<TransactionStatus> {
    const known = this.status(channelId, txId);
    if (known) return Promise.resolve(known);
    const ch = this.channel(channelId);
    return new Promise<TransactionStatus>((resolve, reject) => {
      const set = ch.waiters.get(txId) ?? new Set();
      ch.waiters.set(txId, set);
      const done = (status: TransactionStatus): void => {
        signal?.removeEventListener('abort', aborted);
        resolve(status);
      };
      const aborted = (): void => {
        set.delete(done);
        if (set.size === 0 && ch.waiters.get(txId) === set) ch.waiters.delete(txId);
        reject(signal?.reason as Error);
      };
      if (signal?.aborted) return aborted();
      signal?.addEventListener('abort', aborted, { once: true });
      set.add(done);
    });
  }

  /** Committed blocks of a channel with a number of at least `from`, in order. */
  blocks(channelId: string, from = 0): readonly CommittedBlock[] {
    return (this.channels.get(channelId)?.blocks ?? []).filter((b) => b.number >= from);
  }

  /**
   * Resolves when the channel's next block is committed; rejects with `signal`'s reason when
   * aborted. Call it before scanning {@link BlockLedger.blocks} so no block slips between.
   */
  nextBlock(channelId: string, signal?: AbortSignal): Promise<void> {
    const ch = this.channel(channelId);
    return new Promise<void>((resolve, reject) => {
      const done = (): void => {
        signal?.removeEventListener('abort', aborted);
        resolve();
      };
      const aborted = (): void => {
        ch.blockWaiters.delete(done);
        reject(signal?.reason as Error);
      };
      if (signal?.aborted) return aborted();
      signal?.addEventListener('abort', aborted, { once: true });
      ch.blockWaiters.add(done);
    });
  }

  /** Commits what is still pending and stops ordering (the peer is stopping). */
  close(): void {
    if (this.closed) return;
    for (const channelId of this.channels.keys())
      while (this.cut(channelId)) {
        /* drain */
      }
    this.closed = true;
  }
}
