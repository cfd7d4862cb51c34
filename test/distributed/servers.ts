/**
 * The processes of a distributed search on one machine: `redis-server` on fixed loopback ports (a single server,
 * or three forming a Redis Cluster) and `interleave node` processes. Every wait is for an observable event (a
 * line of output, the process's exit) with a deadline; everything started is killed at the end (and on exit).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CheckResult } from '../../src/index.ts';

export const ROOT = path.resolve(import.meta.dirname, '../..');

/** What must be the same between a local and a distributed run. */
export function verdict(r: CheckResult<unknown>) {
  return {
    status: r.status,
    distinct: r.stats.distinct,
    generated: r.stats.generated,
    depth: r.stats.depth,
    violation: r.status === 'violation' ? r.violation : null,
    trace: r.status === 'violation' ? r.trace.steps : null,
  };
}

export function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const p of live) p.kill('SIGKILL');
});

/** A child process whose output is kept, with a wait for a line of it. */
export class Proc {
  out = '';
  readonly exited: Promise<number | null>;
  constructor(readonly proc: ChildProcess) {
    live.add(proc);
    proc.stdout?.on('data', (c: Buffer) => (this.out += c.toString()));
    proc.stderr?.on('data', (c: Buffer) => (this.out += c.toString()));
    this.exited = new Promise((resolve) => proc.once('exit', (code) => {
      live.delete(proc);
      resolve(code);
    }));
  }

  /** Resolves once the output matches `pattern` (rejects after `timeoutMs`, or when the process exits first). */
  waitFor(pattern: RegExp, timeoutMs = 30_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const started = Date.now();
      const tick = () => {
        if (pattern.test(this.out)) return resolve();
        if (this.proc.exitCode !== null || this.proc.signalCode !== null) return reject(new Error(`process exited before ${pattern}:\n${this.out.slice(-2000)}`));
        if (Date.now() - started > timeoutMs) return reject(new Error(`no ${pattern} within ${timeoutMs} ms:\n${this.out.slice(-2000)}`));
        setTimeout(tick, 50);
      };
      tick();
    });
  }

  /** Kills the process and waits for its exit. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<number | null> {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill(signal);
    return this.exited;
  }
}

/** A redis-server on a loopback port, no persistence; `extra` adds arguments (cluster mode). */
export async function startRedis(port: number, extra: string[] = []): Promise<{ proc: Proc; dir: string; stop(): Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), `interleave-dist-${port}-`));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no', '--logfile', '', ...extra];
  const proc = new Proc(spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] }));
  await proc.waitFor(/Ready to accept connections/, 15_000);
  return {
    proc,
    dir,
    async stop() {
      await proc.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Three servers forming a Redis Cluster (slots split three ways, no replicas); resolves when its state is ok. */
export async function startCluster(ports: readonly number[]): Promise<{ stop(): Promise<void> }> {
  const servers = await Promise.all(ports.map((p) => startRedis(p, ['--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${p}.conf`, '--cluster-node-timeout', '5000'])));
  const stop = async () => {
    for (const s of servers) await s.stop();
  };
  const create = spawnSync('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-yes'], { encoding: 'utf8', timeout: 30_000 });
  if (create.status !== 0) {
    await stop();
    throw new Error(`redis-cli --cluster create failed:\n${create.stdout}\n${create.stderr}`);
  }
  for (let i = 0; i < 200; i++) {
    const ok = ports.every((p) => /cluster_state:ok/.test(spawnSync('redis-cli', ['-p', String(p), 'cluster', 'info'], { encoding: 'utf8' }).stdout));
    if (ok) return { stop };
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error('the Redis Cluster did not reach cluster_state:ok within 20 s');
}

/** Starts `interleave node --cluster URL` (from the sources) and resolves once it waits for searches. */
export async function startNode(url: string, name: string, extra: string[] = []): Promise<Proc> {
  const proc = new Proc(spawn(process.execPath, ['bin/interleave.mjs', 'node', '--cluster', url, '--name', name, ...extra], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', INTERLEAVE_DIST: '' } }));
  await proc.waitFor(/node ready/, 60_000);
  return proc;
}

/** Runs the CLI from the sources; resolves with its exit code and output. */
export function runCli(args: string[], timeoutMs = 120_000): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, ['bin/interleave.mjs', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', INTERLEAVE_DIST: '' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  live.add(child);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) => child.once('exit', (code) => {
    clearTimeout(timer);
    live.delete(child);
    resolve({ code, stdout, stderr, ms: Date.now() - started });
  }));
}
