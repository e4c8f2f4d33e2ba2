/** Child processes a test started: stopped and waited for, so no test leaves one running. */
import type { ChildProcess } from 'node:child_process';

/** Sends SIGTERM to each child still running and resolves when every one has exited. */
export async function stopChildren(...children: ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map((child) => {
      if (child.exitCode !== null || child.signalCode !== null) return undefined;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill();
      return exited;
    }),
  );
}
