/**
 * Installs the packed tarball into a temporary project the way a user's `npm ci` would, without the network:
 * the project's package-lock.json is written from this repository's lockfile (the same versions, `resolved` URLs
 * and integrity hashes for the dependencies of interleave and of the tools the projects use), so npm takes every
 * tarball from its cache (`--offline`), where this repository's own `npm ci` put them. Only when the cache lacks
 * one (a machine whose npm cache was cleared) does it retry with `--prefer-offline`, which may download.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');

interface LockEntry {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [key: string]: unknown;
}

export interface Packed {
  file: string;
  filename: string;
  integrity: string;
  size: number;
  unpackedSize: number;
  entryCount: number;
  files: string[];
}

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Most threads the process had at once (Linux: sampled from /proc; 0 where unavailable). */
  maxThreads: number;
}

/** Runs a command with a hard time limit (the whole process group is killed at the limit). */
export function exec(cmd: string, args: readonly string[], opts: { cwd: string; timeoutMs: number; env?: Record<string, string> }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: { ...process.env, NO_COLOR: '1', ...opts.env }, detached: true });
    let stdout = '';
    let stderr = '';
    let maxThreads = 0;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const sample = setInterval(() => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const n = Number(/^Threads:\s+(\d+)/m.exec(status)?.[1] ?? 0);
        if (n > maxThreads) maxThreads = n;
      } catch {
        // exited, or no /proc
      }
    }, 50);
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, opts.timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearInterval(sample);
      resolve({ code, signal, stdout, stderr, maxThreads });
    });
  });
}

/** `npm pack` of this repository (its `prepare` script builds dist/ first) into `dir`. */
export async function pack(dir: string): Promise<Packed> {
  const r = await exec('npm', ['pack', '--json', '--pack-destination', dir], { cwd: ROOT, timeoutMs: 240_000 });
  if (r.code !== 0) throw new Error(`npm pack failed (${r.code}):\n${r.stderr}`);
  const [info] = JSON.parse(r.stdout.slice(r.stdout.indexOf('['))) as [{ filename: string; integrity: string; size: number; unpackedSize: number; entryCount: number; files: { path: string }[] }];
  return { ...info, file: path.join(dir, info.filename), files: info.files.map((f) => f.path) };
}

/**
 * Writes package.json and package-lock.json into `dir` (the tarball must be in `dir`) and runs `npm ci` there.
 * `tools` are other packages to install, at the versions this repository uses (typescript, vitest...).
 */
export async function installPacked(dir: string, packed: Packed, tools: readonly string[], pkgExtra: Record<string, unknown> = {}): Promise<Run> {
  const repoPkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string; dependencies: Record<string, string>; devDependencies: Record<string, string> };
  const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const rangeOf = (name: string) => repoPkg.dependencies[name] ?? repoPkg.devDependencies[name] ?? lock.packages[`node_modules/${name}`]?.version;
  const deps: Record<string, string> = { interleave: `file:${packed.filename}` };
  for (const t of tools) deps[t] = rangeOf(t)!;
  const packages: Record<string, LockEntry> = {
    '': { name: 'outside-user', version: '1.0.0', dependencies: deps },
    'node_modules/interleave': {
      version: repoPkg.version,
      resolved: `file:${packed.filename}`,
      integrity: packed.integrity,
      license: 'MIT',
      dependencies: repoPkg.dependencies,
      bin: { interleave: 'bin/interleave.mjs' },
    },
  };
  // The dependency closure, resolved as Node does: nested node_modules first, then each parent's.
  const queue: [string, string][] = [...Object.keys(repoPkg.dependencies), ...tools].map((n) => ['', n]);
  while (queue.length > 0) {
    const [from, name] = queue.shift()!;
    let at: string | undefined;
    for (let dirOf = from; ; dirOf = dirOf.includes('/node_modules/') ? dirOf.slice(0, dirOf.lastIndexOf('/node_modules/')) : '') {
      const candidate = `${dirOf ? `${dirOf}/` : ''}node_modules/${name}`;
      if (lock.packages[candidate]) {
        at = candidate;
        break;
      }
      if (dirOf === '') break;
    }
    if (!at) {
      if (lock.packages[`${from}/node_modules/${name}`] === undefined && from !== '' && isOptionalEdge(lock.packages[from]!, name)) continue;
      throw new Error(`package-lock.json has no ${name} (needed by ${from || 'the project'})`);
    }
    if (packages[at]) continue;
    const entry: LockEntry = { ...lock.packages[at]! };
    delete entry.dev;
    delete entry.devOptional;
    delete entry.peer;
    packages[at] = entry;
    const required = { ...entry.dependencies, ...entry.optionalDependencies };
    for (const [peer] of Object.entries(entry.peerDependencies ?? {})) if (!entry.peerDependenciesMeta?.[peer]?.optional) required[peer] = '*';
    for (const dep of Object.keys(required)) queue.push([at, dep]);
  }
  writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ name: 'outside-user', version: '1.0.0', private: true, ...pkgExtra, dependencies: deps }, null, 2)}\n`);
  writeFileSync(path.join(dir, 'package-lock.json'), `${JSON.stringify({ name: 'outside-user', version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2)}\n`);
  const args = ['ci', '--no-audit', '--no-fund', '--ignore-scripts'];
  let r = await exec('npm', [...args, '--offline'], { cwd: dir, timeoutMs: 120_000 });
  if (r.code !== 0 && /ENOTCACHED/.test(r.stderr)) r = await exec('npm', [...args, '--prefer-offline'], { cwd: dir, timeoutMs: 180_000 });
  return r;
}

function isOptionalEdge(entry: LockEntry, name: string): boolean {
  return name in (entry.optionalDependencies ?? {}) || Boolean(entry.peerDependenciesMeta?.[name]?.optional);
}
