import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const BIN = path.join(ROOT, 'bin/interleave.mjs');
export const FIX = 'test/fixtures/robustness';

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI to completion (no terminal: no colour, no progress line). */
export function run(args: readonly string[]): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** Milliseconds after which `start` kills the CLI with SIGKILL: a regression that makes it hang fails, never hangs the suite. */
export const KILL_AFTER_MS = 60_000;

/**
 * Starts the CLI; `done` resolves when it has exited and its output is read ('close': on 'exit' the last chunk of
 * stderr could still be unread, and a test under load missed a line). Signal SIGKILL: still running after KILL_AFTER_MS.
 */
export function start(args: readonly string[]) {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const killer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
  const done = new Promise<Run>((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stdout, stderr });
    }),
  );
  return { child, done, output: () => ({ stdout, stderr }) };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `test()` holds (polling), or fails after `ms`. */
export async function waitFor(test: () => boolean, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms;
  while (!test()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/** The non-empty lines of a text. */
export const lines = (t: string) => t.split('\n').filter((l) => l.trim() !== '');
