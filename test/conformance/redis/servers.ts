/**
 * Real `redis-server` processes for conformance tests: each on a free loopback port (found by binding a probe
 * socket), in its own temporary folder, with no persistence. Started and stopped explicitly; every wait is for
 * an observable event (the "Ready to accept connections" line, the process's exit) with a deadline.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** True when a `redis-server` binary is on the PATH. */
export function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * A port on 127.0.0.1 that nothing listens on right now, found by binding a probe socket (closed before
 * returning). Drawn below Linux's ephemeral range (32768-60999), so that the port cannot be handed to an outgoing
 * connection, or to a test that binds port 0, while a server restarts on it.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await canBind(port)) return port;
  }
  throw new Error('no free port between 20000 and 32000 after 50 attempts');
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

const live = new Set<ChildProcess>();
// A crashed test run must not leave servers behind.
process.once('exit', () => {
  for (const p of live) p.kill('SIGKILL');
});

/** One redis-server process on a fixed port; `start` and `stop` may be called again (a restart keeps the port). */
export class RedisServer {
  private proc: ChildProcess | null = null;
  readonly dir: string;

  constructor(readonly port: number) {
    this.dir = mkdtempSync(path.join(tmpdir(), `interleave-redis-${port}-`));
  }

  /** Starts the server and resolves once it accepts connections (rejects after `timeoutMs`). */
  start(timeoutMs = 10_000): Promise<void> {
    if (this.proc) return Promise.reject(new Error(`redis-server on port ${this.port} is already running`));
    // A fresh folder: a replica stores the RDB of a full sync there (dump.rdb), which a restart would load.
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.dir, { recursive: true });
    const args = [
      '--port', String(this.port),
      '--bind', '127.0.0.1',
      '--save', '',
      '--appendonly', 'no',
      '--dir', this.dir,
      '--daemonize', 'no',
      '--logfile', '',
      // A small backlog (the minimum), so a write of 80 KB overruns it.
      '--repl-backlog-size', '16kb',
      // Full syncs start at once (diskless, no delay); no PINGs in the stream, so offsets move only with writes.
      '--repl-diskless-sync', 'yes',
      '--repl-diskless-sync-delay', '0',
      '--repl-ping-replica-period', '3600',
      '--repl-timeout', '7200',
    ];
    const proc = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc = proc;
    live.add(proc);
    return new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => fail(new Error(`redis-server on port ${this.port} was not ready within ${timeoutMs} ms:\n${out.slice(-2000)}`)), timeoutMs);
      const done = () => {
        clearTimeout(timer);
        proc.stdout!.off('data', onData);
        proc.off('exit', onExit);
        // Keep draining the output so the server never blocks on a full pipe.
        proc.stdout!.resume();
        proc.stderr!.resume();
      };
      const fail = (e: Error) => {
        done();
        reject(e);
      };
      const onData = (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('Ready to accept connections')) {
          done();
          resolve();
        }
      };
      const onExit = (code: number | null) => {
        live.delete(proc);
        this.proc = null;
        fail(new Error(`redis-server on port ${this.port} exited with code ${code} before it was ready:\n${out.slice(-2000)}`));
      };
      proc.stdout!.on('data', onData);
      proc.once('exit', onExit);
      proc.once('error', (e) => fail(e));
    });
  }

  /** Kills the server (SIGKILL: nothing to save) and resolves once the process has exited. */
  stop(timeoutMs = 10_000): Promise<void> {
    const proc = this.proc;
    if (!proc) return Promise.resolve();
    this.proc = null;
    return new Promise((resolve, reject) => {
      if (proc.exitCode !== null || proc.signalCode !== null) {
        live.delete(proc);
        resolve();
        return;
      }
      const timer = setTimeout(() => reject(new Error(`redis-server on port ${this.port} did not exit within ${timeoutMs} ms`)), timeoutMs);
      proc.once('exit', () => {
        clearTimeout(timer);
        live.delete(proc);
        resolve();
      });
      proc.kill('SIGKILL');
    });
  }

  /** Stops the server and removes its folder. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
