import * as net from 'node:net';
import type { AddressInfo } from 'node:net';

/** A loopback TCP relay whose traffic can be frozen. */
export interface FrozenRelay {
  /** host:port to dial instead of the target. */
  readonly address: string;
  /** Stops forwarding in both directions without closing anything (no FIN, no RST). */
  freeze(): void;
  close(): Promise<void>;
}

/**
 * Relays 127.0.0.1:<port 0> to `target` (host:port). `freeze()` makes the other side vanish as
 * a crashed host or a cut network does: the sockets stay open and nothing more arrives, so only
 * keepalive can notice.
 */
export async function frozenRelay(target: string): Promise<FrozenRelay> {
  const i = target.lastIndexOf(':');
  const sockets: net.Socket[] = [];
  const srv = net.createServer((client) => {
    const upstream = net.connect(Number(target.slice(i + 1)), target.slice(0, i));
    sockets.push(client, upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return {
    address: `127.0.0.1:${(srv.address() as AddressInfo).port}`,
    freeze() {
      for (const s of sockets) {
        s.unpipe();
        s.pause();
      }
    },
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((r) => srv.close(() => r()));
    },
  };
}
