/**
 * Synchronisation for tests, on events only (no sleeps, no polling): a gate a test holds a
 * transaction at, `until` a condition holds as an emitter reports changes, and a log sink
 * that reports each record (the server and the handler say what happened to a connection in
 * their log lines, the one callback a test can wait on without a seam in src/).
 */
import { EventEmitter } from 'node:events';
import type { LogRecord, LogSink } from '../../src/logger';

/** Lets a test hold code at a point (`await g.wait`) and know it got there (`await g.reached`). */
export interface Gate {
  /** Resolves when the test calls {@link open}. */
  readonly wait: Promise<void>;
  open(): void;
  /** Resolves when the held code calls {@link arrive}. */
  readonly reached: Promise<void>;
  arrive(): void;
}

export function gate(): Gate {
  let open!: () => void;
  let arrive!: () => void;
  const wait = new Promise<void>((r) => {
    open = r;
  });
  const reached = new Promise<void>((r) => {
    arrive = r;
  });
  return { wait, open, reached, arrive };
}

/** Resolves once `cond()` holds: checked now, then each time `emitter` emits `event`. */
export function until(emitter: EventEmitter, event: string, cond: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (cond()) return resolve();
    const check = (): void => {
      if (!cond()) return;
      emitter.off(event, check);
      resolve();
    };
    emitter.on(event, check);
  });
}

/** A list whose pushes are events: `until(list, 'push', () => list.items.length === 2)`. */
export class EventList<T> extends EventEmitter {
  readonly items: T[] = [];
  push(item: T): void {
    this.items.push(item);
    this.emit('push', item);
  }
  clear(): void {
    this.items.length = 0;
  }
  /** Resolves once the list holds `n` items. */
  reach(n: number): Promise<void> {
    return until(this, 'push', () => this.items.length >= n);
  }
}

/** A log sink (for `setLogSink`) that keeps every record and emits it as 'record'. */
export class LogWatch extends EventEmitter implements LogSink {
  readonly records: LogRecord[] = [];
  write(record: LogRecord): void {
    this.records.push(record);
    this.emit('record', record);
  }
  /** The next record, from now on, whose message is `msg` (or matches it). */
  next(msg: string | RegExp): Promise<LogRecord> {
    const matches = (r: LogRecord): boolean => (typeof msg === 'string' ? r.msg === msg : msg.test(r.msg));
    return new Promise((resolve) => {
      const check = (r: LogRecord): void => {
        if (!matches(r)) return;
        this.off('record', check);
        resolve(r);
      };
      this.on('record', check);
    });
  }
}
