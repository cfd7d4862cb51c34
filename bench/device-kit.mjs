#!/usr/bin/env node
// What `npm run bench:cores` needs on a machine with none of Node, SPIN, gcc or the network (a lent many-core
// machine reached through a runner that copies the working tree, 64 MiB at most with the ignored files it
// carries; its image holds Python and CUDA's tools):
//
//   node bench/device-kit.mjs [--memlim MB] [--quick] [--no-modules] [--no-node] [--out DIR] [model ...]
//
// Writes DIR (default .device-kit/, which git ignores), then packs it into DIR.tar.xz (about 30 MB):
//   pan/<model>-<size>-dfs, pan/<model>-<size>-bfs  SPIN's verifiers for every bench model, compiled here and
//       linked statically (they need no library there): depth-first at the quick, default and large sizes, and
//       parallel breadth-first (BFS_PAR, from the d_step twin) at the quick and large sizes: what bench/cores.mjs
//       runs, with the same flags (bench/measure.mjs: compilePan). --quick: the quick sizes only; model names
//       (peterson gossip two-phase failover): those only.
//   node_modules/  the production dependencies only (`npm ci --omit=dev`: about 23 MB, against ~106 MB with the
//       development ones), enough for bench/cores.mjs to run interleave from src/ through tsx.
//   node  this Node binary (the official build: it needs only glibc and libstdc++), unless --no-node.
//   kit.json  what was built, and with which MEMLIM.
//
// BFS_PAR takes one shared-memory segment as large as MEMLIM allows, fixed when it is compiled: --memlim is the
// target's, in MB (default 98304: three quarters of 128 GiB). There, carrying .device-kit.tar.xz, one model per
// command (the script prints the line):
//
//   python3 -c "import tarfile; tarfile.open('.device-kit.tar.xz').extractall(filter='tar')" &&
//     ln -sfn .device-kit/node_modules node_modules && .device-kit/node bench/cores.mjs --pan .device-kit/pan gossip
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileVerifier, coresVerifiers, haveSpin, verifierName } from './measure.mjs';
import { selectModels } from './models.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const usage = 'usage: node bench/device-kit.mjs [--memlim MB] [--quick] [--no-modules] [--no-node] [--out DIR] [peterson|gossip|two-phase|failover ...]';
const argv = process.argv.slice(2);
let memlim = 98304;
let quick = false;
let modules = true;
let withNode = true;
let out = path.join(root, '.device-kit');
const wanted = [];
function fail(message) {
  console.error(`${message}\n${usage}`);
  process.exit(2);
}
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--help' || a === '-h') {
    console.log(usage);
    process.exit(0);
  } else if (a === '--quick') quick = true;
  else if (a === '--no-modules') modules = false;
  else if (a === '--no-node') withNode = false;
  else if (a === '--memlim') {
    const v = argv[++i] ?? '';
    if (!/^[1-9]\d*$/.test(v)) fail(`--memlim takes megabytes, a whole number (got '${v}')`);
    memlim = Number(v);
  } else if (a === '--out') {
    const v = argv[++i];
    if (!v) fail('--out takes a directory');
    out = path.resolve(v);
  } else if (a.startsWith('-')) fail(`unknown option ${a}`);
  else wanted.push(a);
}
try {
  selectModels('quick', wanted);
} catch (e) {
  fail(e.message);
}
if (!haveSpin()) fail('SPIN and gcc are needed here, to compile the verifiers (apt-get install spin gcc)');

const pans = path.join(out, 'pan');
rmSync(out, { recursive: true, force: true });
mkdirSync(pans, { recursive: true });
const work = mkdtempSync(path.join(os.tmpdir(), 'interleave-kit-'));
const built = [];
try {
  // What `cores.mjs --quick` runs, and unless --quick, what it runs at the large sizes too.
  for (const [size, kind] of [...coresVerifiers(true), ...(quick ? [] : coresVerifiers(false))]) {
    for (const m of selectModels(size, wanted)) {
      const name = verifierName(m, size, kind);
      cpSync(compileVerifier(path.join(work, name), m, kind, memlim, ['-static']), path.join(pans, name));
      built.push(name);
      process.stdout.write(`${name} `);
    }
  }
  console.log();
  if (modules) {
    // A clean install of the lockfile's production dependencies, in a directory of its own (no scripts: the
    // project's own `prepare` builds dist/, which needs the development ones; esbuild finds its binary without its own).
    const dir = path.join(work, 'modules');
    mkdirSync(dir);
    for (const f of ['package.json', 'package-lock.json']) cpSync(path.join(root, f), path.join(dir, f));
    execFileSync('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'inherit' });
    cpSync(path.join(dir, 'node_modules'), path.join(out, 'node_modules'), { recursive: true, verbatimSymlinks: true });
  }
  if (withNode) cpSync(process.execPath, path.join(out, 'node'));
} finally {
  rmSync(work, { recursive: true, force: true });
}
const spin = execFileSync('spin', ['-V'], { encoding: 'utf8' }).trim();
writeFileSync(path.join(out, 'kit.json'), `${JSON.stringify({ memlimMb: memlim, sizes: quick ? ['quick'] : ['quick', 'default', 'large'], pans: built, spin, modules, node: withNode ? process.version : null }, null, 2)}\n`);
const archive = `${out}.tar.xz`;
execFileSync('tar', ['-cJf', archive, '-C', path.dirname(out), path.basename(out)], { env: { ...process.env, XZ_OPT: '-6 -T0' } });
const name = path.basename(out);
console.log(`wrote ${path.relative(process.cwd(), out) || '.'}: ${built.length} verifiers (BFS_PAR MEMLIM ${memlim} MB)${modules ? ', node_modules' : ''}${withNode ? `, node ${process.version}` : ''}`);
console.log(`packed ${path.relative(process.cwd(), archive)}: ${(statSync(archive).size / 2 ** 20).toFixed(1)} MiB. There, carrying it, one model per command:`);
console.log(`  python3 -c "import tarfile; tarfile.open('${name}.tar.xz').extractall(filter='tar')" && ln -sfn ${name}/node_modules node_modules && ${withNode ? `${name}/node` : 'node'} bench/cores.mjs --pan ${name}/pan --workers 1,4,16 gossip`);
