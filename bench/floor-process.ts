import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { GATEWAY_NODE_FLAGS, stopProcess } from '../test/integration/harness';
import type { FloorRequest, FloorRun } from './floor-fan-out';

export interface FloorProcess {
  pid: number;
  /** One fan-out with the tenant's token; the floor has no credentials of its own. */
  fanOut(token: string): Promise<FloorRun>;
  stop(): Promise<void>;
}

/** Starts bench/floor-fan-out.ts as a child of the bench, like the gateway, pointed at the same fake. */
export function startFloor(fake: { url: string; caCertPath: string }): FloorProcess {
  const child: ChildProcess = fork(join(__dirname, 'floor-fan-out.js'), [fake.url, fake.caCertPath], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // The gateway's Node flags, so the floor's heap is tuned as the gateway's is.
    execArgv: [...GATEWAY_NODE_FLAGS],
  });
  return {
    pid: child.pid!,
    fanOut: (token) =>
      new Promise<FloorRun>((resolve, reject) => {
        const onExit = (code: number | null) => reject(new Error(`the floor exited with ${code}`));
        child.once('exit', onExit);
        child.once('message', (answer: { run?: FloorRun; error?: string }) => {
          child.off('exit', onExit);
          if (answer.run) resolve(answer.run);
          else reject(new Error(`the floor failed: ${answer.error}`));
        });
        child.send({ token } satisfies FloorRequest);
      }),
    stop: async () => void (await stopProcess(child)),
  };
}
