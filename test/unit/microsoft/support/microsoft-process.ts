import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { ChildOperations, OperationName, RemoteError } from './microsoft-child';

/** An error thrown by the product inside the child, with its public fields (kind, code, status…). */
export class RemoteFailure extends Error implements RemoteError {
  kind?: string;
  reason?: string;
  aadstsCode?: number;
  status?: number;
  graphCode?: string;
  code?: string;

  constructor(remote: RemoteError) {
    super(remote.message);
    Object.assign(this, remote);
  }
}

type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: RemoteError };

/**
 * The Microsoft layer running in a child process that trusts the fake's CA through
 * NODE_EXTRA_CA_CERTS, the only way global fetch can be told to. Tests call its operations as
 * if they were local: `await microsoft.call('acquire', credentials, tenantId)`.
 */
export class MicrosoftProcess {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private stderr = '';

  private constructor(private readonly child: ChildProcess) {
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-4000);
    });
    child.on('message', (reply: Reply) => {
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if (reply.ok) waiter.resolve(reply.value);
      else waiter.reject(new RemoteFailure(reply.error));
    });
    child.on('exit', (code) => {
      for (const waiter of this.pending.values()) waiter.reject(new Error(`the Microsoft child exited (${code}): ${this.stderr}`));
      this.pending.clear();
    });
  }

  static async start(caCertPath: string): Promise<MicrosoftProcess> {
    const child = spawn(
      process.execPath,
      [path.join(__dirname, 'run-typescript.js'), path.join(__dirname, 'microsoft-child.ts')],
      {
        cwd: path.resolve(__dirname, '../../../..'),
        env: { ...process.env, NODE_EXTRA_CA_CERTS: caCertPath },
        stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
      },
    );
    const started = new MicrosoftProcess(child);
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`the Microsoft child exited (${code}) before it was ready: ${started.stderr}`)));
    });
    return started;
  }

  call<K extends OperationName>(op: K, ...args: Parameters<ChildOperations[K]>): Promise<Awaited<ReturnType<ChildOperations[K]>>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.child.send({ id, op, args });
    });
  }

  /** Resolves with the failure the operation threw; fails the test if it succeeded. */
  async failure<K extends OperationName>(op: K, ...args: Parameters<ChildOperations[K]>): Promise<RemoteFailure> {
    try {
      await this.call(op, ...args);
    } catch (error) {
      if (error instanceof RemoteFailure) return error;
      throw error;
    }
    throw new Error(`${op} was expected to fail but succeeded`);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill();
    await exited;
  }
}
