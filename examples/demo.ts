/**
 * `npm run demo`: asset-transfer on an embedded mock peer, start to finish in a few seconds.
 *
 * Starts the mock peer (a real gRPC ChaincodeSupport server on 127.0.0.1), connects the
 * asset-transfer contract to it over gRPC as a peer-launched chaincode would, runs a short
 * story with two organisations, and prints each transaction with its id, status and event,
 * then the world state and an asset's history. Every step states the outcome it expects;
 * the demo exits 0 when all match and the ledger ends as expected, non-zero otherwise.
 */
import { join } from 'node:path';
import { setLogSink, type LogRecord } from 'fabric-shim-ts';
import { chaincodeFromContracts } from 'fabric-shim-ts/contract';
import { MockPeer, type InvokeResult, type MockChaincode } from 'fabric-shim-ts/testing';
import type * as AssetTransfer from './asset-transfer/src';
import { requireExample } from './demo/load-example';
import { paint, table } from './demo/table';

const CHAINCODE = 'asset-transfer';
/** Upper bound for the whole run; the story normally takes well under a second. */
const DEADLINE_MS = 20_000;

type Identity = ReturnType<MockPeer['identity']>;
interface Step {
  who: string;
  identity: Identity;
  args: string[];
  /** 200: must succeed; 500: must be rejected (the story shows a forbidden transfer). */
  expect: 200 | 500;
}

class DemoFailure extends Error {}

// The library's log lines (e.g. the contract logging the rejected transfer) are kept aside and
// shown only if the demo fails, so the transcript stays readable.
const logs: LogRecord[] = [];
setLogSink({ write: (r) => void logs.push(r) });

const short = (txId: string): string => txId.slice(0, 8);
const text = (b: Uint8Array): string => Buffer.from(b).toString('utf8');

async function run(): Promise<void> {
  const started = Date.now();
  const { contracts } = requireExample<typeof AssetTransfer>(join(__dirname, 'asset-transfer'));

  const peer = await MockPeer.start();
  try {
    const cc = await peer.launch(CHAINCODE, chaincodeFromContracts(contracts));
    console.log(paint('bold', 'fabric-shim-ts demo: asset-transfer on an embedded mock peer'));
    console.log(`  peer on ${peer.address}, channel ${peer.channel}; chaincode ${cc.chaincodeId} registered over gRPC\n`);

    const alice = peer.identity('Org1MSP', {}, { commonName: 'alice' });
    const bob = peer.identity('Org2MSP', {}, { commonName: 'bob' });
    const mallory = peer.identity('Org2MSP', {}, { commonName: 'mallory' });
    const story: Step[] = [
      { who: 'alice@Org1MSP', identity: alice, args: ['CreateAsset', 'asset1', 'blue', '5', 'Alice', '300'], expect: 200 },
      { who: 'alice@Org1MSP', identity: alice, args: ['CreateAsset', 'asset2', 'red', '10', 'Alice', '550'], expect: 200 },
      { who: 'bob@Org2MSP', identity: bob, args: ['ReadAsset', 'asset1'], expect: 200 },
      { who: 'alice@Org1MSP', identity: alice, args: ['TransferAsset', 'asset1', 'Bob', 'Org2MSP'], expect: 200 },
      { who: 'mallory@Org2MSP', identity: mallory, args: ['TransferAsset', 'asset2', 'Mallory', 'Org2MSP'], expect: 500 },
      { who: 'bob@Org2MSP', identity: bob, args: ['UpdateAsset', 'asset1', 'green', '5', '320'], expect: 200 },
      { who: 'alice@Org1MSP', identity: alice, args: ['CreateAsset', 'asset3', 'white', '15', 'Alice', '700'], expect: 200 },
    ];

    const rows: string[][] = [];
    const notes: string[] = [];
    let rejected = 0;
    for (const [i, step] of story.entries()) {
      const res = await cc.invoke(step.args, { identity: step.identity });
      const asExpected = res.status === step.expect;
      if (res.status !== 200) rejected++;
      rows.push([
        String(i + 1),
        step.who,
        step.args.join(' '),
        statusCell(res, step.expect),
        short(res.txId),
        res.events.map((e) => e.eventName).join(', ') || paint('dim', '-'),
      ]);
      if (res.status !== 200) notes.push(`  ${i + 1}: ${res.message}`);
      if (!asExpected) {
        console.log(table(['#', 'Client', 'Transaction', 'Status', 'Tx id', 'Event'], rows));
        throw new DemoFailure(`step ${i + 1} (${step.args[0]}) returned ${res.status} "${res.message}", expected ${step.expect}`);
      }
    }
    console.log(table(['#', 'Client', 'Transaction', 'Status', 'Tx id', 'Event'], rows));
    if (notes.length > 0) console.log(`\n${paint('dim', 'Rejections:')}\n${notes.join('\n')}`);

    await showState(cc);
    await showHistory(cc, 'asset1');
    checkLedger(peer);

    const ms = Date.now() - started;
    console.log(`\n${paint('green', 'ok')}: ${story.length} transactions (${rejected} rejected as expected), ledger checked, in ${ms} ms`);
  } finally {
    await peer.stop();
  }
}

function statusCell(res: InvokeResult, expected: number): string {
  if (res.status === 200) return paint('green', '200 OK');
  const label = `${res.status} rejected`;
  return res.status === expected ? paint('yellow', `${label} (expected)`) : paint('red', label);
}

/** GetAllAssets: the range query over the whole namespace. */
async function showState(cc: MockChaincode): Promise<void> {
  const res = await cc.invoke(['GetAllAssets']);
  if (res.status !== 200) throw new DemoFailure(`GetAllAssets failed: ${res.message}`);
  const assets = JSON.parse(text(res.payload)) as AssetTransfer.Asset[];
  console.log(`\n${paint('bold', 'World state')} (GetAllAssets, a range query; tx ${short(res.txId)}):`);
  console.log(
    table(
      ['ID', 'Color', 'Size', 'Owner', 'OwnerMSP', 'AppraisedValue'],
      assets.map((a) => [a.ID, a.Color, String(a.Size), a.Owner, a.OwnerMSP, String(a.AppraisedValue)]),
    ),
  );
}

/** GetAssetHistory: every committed version, newest first. */
async function showHistory(cc: MockChaincode, id: string): Promise<void> {
  const res = await cc.invoke(['GetAssetHistory', id]);
  if (res.status !== 200) throw new DemoFailure(`GetAssetHistory failed: ${res.message}`);
  const history = JSON.parse(text(res.payload)) as AssetTransfer.AssetHistoryEntry[];
  console.log(`\n${paint('bold', `History of ${id}`)} (GetAssetHistory, newest first):`);
  console.log(
    table(
      ['Tx id', 'Committed', 'Owner', 'OwnerMSP', 'Color', 'AppraisedValue'],
      history.map((h) => [
        short(h.TxId),
        h.Timestamp,
        h.Asset?.Owner ?? '(deleted)',
        h.Asset?.OwnerMSP ?? '',
        h.Asset?.Color ?? '',
        String(h.Asset?.AppraisedValue ?? ''),
      ]),
    ),
  );
  if (history.length !== 3) throw new DemoFailure(`expected 3 versions of ${id}, got ${history.length}`);
}

/** The committed ledger, read directly from the mock peer, must match the story. */
function checkLedger(peer: MockPeer): void {
  const get = (id: string) => peer.ledger.getJSON<AssetTransfer.Asset>(CHAINCODE, id);
  const problems: string[] = [];
  if (get('asset1')?.OwnerMSP !== 'Org2MSP' || get('asset1')?.Color !== 'green')
    problems.push("asset1 should be Bob's (Org2MSP) and green");
  if (get('asset2')?.OwnerMSP !== 'Org1MSP') problems.push("asset2 should still be Alice's (the forbidden transfer must not commit)");
  if (get('asset3') === undefined) problems.push('asset3 should exist');
  if (problems.length > 0) throw new DemoFailure(`ledger check failed: ${problems.join('; ')}`);
}

const watchdog = setTimeout(() => {
  console.error(paint('red', `demo failed: no result after ${DEADLINE_MS} ms`));
  process.exit(1); // something is stuck holding the event loop; this script (not the library) ends it
}, DEADLINE_MS);
watchdog.unref();

run().then(
  () => clearTimeout(watchdog),
  (err: unknown) => {
    clearTimeout(watchdog);
    const message = err instanceof Error ? err.message : String(err);
    console.error(`\n${paint('red', 'demo failed')}: ${message}`);
    if (!(err instanceof DemoFailure) && err instanceof Error && err.stack) console.error(err.stack);
    if (logs.length > 0) {
      console.error('\nlibrary log:');
      for (const r of logs) console.error(`  ${r.time.toISOString()} ${r.level.toUpperCase()} [${r.logger}] ${r.msg}`);
    }
    process.exitCode = 1;
  },
);
