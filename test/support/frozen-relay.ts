import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { EventEmitter } from 'node:events';
import { until } from './sync';

/** A loopback TCP relay whose traffic can be frozen. */
export interface FrozenRelay {
  /** host:port to dial instead of the target. */
  readonly address: string;
  /**
   * Stops forwarding in both directions without closing anything (no FIN, no RST): what arrives
   * from either side is read and dropped, so each side sees the other go silent.
   */
  freeze(): void;
  /**
   * Resolves once the target (the server side) has closed every connection relayed to it, e.g.
   * after its keepalive gave up on a frozen path: by then it has let go of the connection fully.
   */
  targetClosed(): Promise<void>;
  /**
   * Resolves once `n` keepalive pings of the target (the server side) have been answered: HTTP/2
   * PING frames with the ACK flag relayed from the dialling side, counted since the relay started.
   */
  pingsAnswered(n: number): Promise<void>;
  close(): Promise<void>;
}

/** HTTP/2: what a client sends before its first frame (RFC 9113, 3.4). */
const CLIENT_PREFACE_BYTES = 24;
const FRAME_HEADER_BYTES = 9;
const PING = 0x6;
const ACK = 0x1;

/**
 * Reads the HTTP/2 frame headers going one way and reports each PING ACK: the bytes are only
 * looked at, the relay forwards them untouched.
 */
function pingAckCounter(skip: number, onPingAck: () => void): (chunk: Buffer) => void {
  let pending = Buffer.alloc(0);
  let toSkip = skip;
  return (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    for (;;) {
      if (toSkip > 0) {
        const n = Math.min(toSkip, pending.length);
        pending = pending.subarray(n);
        toSkip -= n;
        if (toSkip > 0) return;
      }
      if (pending.length < FRAME_HEADER_BYTES) return;
      const length = pending.readUIntBE(0, 3);
      if (pending[3] === PING && ((pending[4] ?? 0) & ACK) !== 0) onPingAck();
      toSkip = FRAME_HEADER_BYTES + length;
    }
  };
}

/**
 * Relays 127.0.0.1:<port 0> to `target` (host:port). `freeze()` makes the other side vanish as
 * a crashed host or a cut network does: the sockets stay open and nothing more arrives, so only
 * keepalive can notice.
 */
export async function frozenRelay(target: string): Promise<FrozenRelay> {
  const i = target.lastIndexOf(':');
  const sockets: net.Socket[] = [];
  const pings = new EventEmitter();
  let answered = 0;
  const upstreams = new EventEmitter();
  let open = 0;
  const srv = net.createServer((client) => {
    const upstream = net.connect(Number(target.slice(i + 1)), target.slice(0, i));
    sockets.push(client, upstream);
    open++;
    upstream.on('close', () => {
      open--;
      upstreams.emit('close');
    });
    client.pipe(upstream);
    upstream.pipe(client);
    client.on(
      'data',
      pingAckCounter(CLIENT_PREFACE_BYTES, () => {
        answered++;
        pings.emit('ack');
      }),
    );
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return {
    address: `127.0.0.1:${(srv.address() as AddressInfo).port}`,
    freeze() {
      for (const s of sockets) {
        s.unpipe();
        // Read and drop rather than pause: the relay still sees the target close its end.
        s.on('data', () => undefined);
        s.resume();
      }
    },
    targetClosed: () => until(upstreams, 'close', () => open === 0),
    pingsAnswered: (n) => until(pings, 'ack', () => answered >= n),
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((r) => srv.close(() => r()));
    },
  };
}
