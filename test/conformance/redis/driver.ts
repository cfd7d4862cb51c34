/**
 * The conformance driver for specs/redis-replication.ts: two real `redis-server` processes on loopback ports.
 * Also a module for the CLI:
 *
 *   npx interleave conform test/conformance/redis/driver.ts --walks 20 --length 8 --seed 1
 *
 * Each action of the spec becomes commands on the servers; then `settle` waits, polling INFO replication with a
 * deadline (never a fixed sleep), until every replica the driver connected shows `master_link_status:up` and its
 * master's offset, and every replica it disconnected shows the link down. `observe` reads INFO replication,
 * INFO stats and the counter on both servers and maps them to the spec's view (`redisView`).
 */
import { Redis } from 'ioredis';
import type { Driver, DriverContext } from '../../../src/testing/index.ts';
import { redisReplication, redisView, type RedisNodeView } from '../../../specs/redis-replication.ts';
import { RedisServer, freePort } from './servers.ts';

export { redisReplication as spec };
export const view = redisView;

/** A value larger than the 16 KB backlog, written twice by `bigWrite`. */
const PAD = 'x'.repeat(40_000);
/** How long a step may wait for replication to converge (the step timeout bounds it too). */
const SETTLE_MS = 8_000;
const POLL_MS = 5;

export interface RedisDriver extends Driver<RedisNodeView[]> {
  readonly ports: readonly number[];
  /** Every command sent to the servers (`port COMMAND ...`), for a test that wants to see them; cleared on reset. */
  readonly commands: string[];
  close(): Promise<void>;
}

type Info = Record<string, string>;

function parseInfo(text: string): Info {
  const out: Info = {};
  for (const line of text.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

export interface RedisDriverOptions {
  /**
   * How `reset` reaches the initial state. `commands` (default): `REPLICAOF NO ONE` and `FLUSHALL` on both, a
   * write larger than the backlog on server 0, then a full sync of server 1 (about 0.1 s). `restart`: restart both
   * servers in fresh folders (about 0.7 s on a loaded machine). The first reset always starts the servers.
   */
  reset?: 'commands' | 'restart';
}

/** Returns the driver; the servers start at the first reset. */
export async function createDriver(_constants: Record<string, unknown> = {}, options: RedisDriverOptions = {}): Promise<RedisDriver> {
  const ports: number[] = [];
  // Two server ports and a port where nothing listens: `disconnect` points a replica there, keeping its link down.
  while (ports.length < 3) {
    const p = await freePort();
    if (!ports.includes(p)) ports.push(p);
  }
  const deadPort = ports.pop()!;
  const servers = ports.map((p) => new RedisServer(p));
  let clients: Redis[] = [];
  /** What the driver asked for: the master of each server (null: it is a master) and whether its link should be up. */
  let masterOf: (number | null)[] = [null, 0];
  let linkWanted: boolean[] = [false, true];
  const commands: string[] = [];

  const send = async (i: number, ...args: (string | number)[]): Promise<unknown> => {
    commands.push(`${ports[i]} ${args.join(' ')}`);
    return clients[i]!.call(String(args[0]), ...args.slice(1).map(String));
  };
  const info = async (i: number): Promise<Info> => parseInfo(String(await clients[i]!.call('INFO', 'replication')));

  /** Restarts both servers (fresh folders) and connects new clients. */
  const restart = async () => {
    await closeClients();
    await Promise.all(servers.map((s) => s.stop()));
    await Promise.all(servers.map((s) => s.start()));
    clients = ports.map((port) => new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false }));
    await Promise.all(clients.map((c) => c.connect()));
  };

  const closeClients = async () => {
    await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())));
    clients = [];
  };

  /** True when every server shows what the driver asked for. */
  const converged = async (): Promise<boolean> => {
    const infos = await Promise.all([0, 1].map(info));
    for (let i = 0; i < 2; i++) {
      const m = masterOf[i];
      const inf = infos[i]!;
      if (m === null) {
        if (inf.role !== 'master') return false;
        continue;
      }
      if (inf.role !== 'slave') return false;
      if (!linkWanted[i]) {
        if (inf.master_link_status !== 'down') return false;
        continue;
      }
      if (inf.master_link_status !== 'up' || inf.master_repl_offset !== infos[m as number]!.master_repl_offset) return false;
    }
    return true;
  };

  /** Polls until converged or the deadline; returns either way (the observation then shows what the system did). */
  const settle = async (ctx: DriverContext): Promise<void> => {
    const deadline = Math.min(ctx.deadline - 100, performance.now() + SETTLE_MS);
    for (let n = 0; n < 100_000 && performance.now() < deadline && !ctx.signal.aborted; n++) {
      if (await converged()) return;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  };

  const driver: RedisDriver = {
    ports,
    commands,
    async reset(ctx) {
      commands.length = 0;
      let fresh = false;
      if (options.reset === 'restart' || clients.length === 0) {
        await restart();
        fresh = true;
      } else {
        try {
          // Both masters, both empty; then a write larger than the backlog on server 0, so that server 1's PSYNC
          // below cannot continue any earlier history: it gets a full sync, as after a restart.
          await Promise.all([send(0, 'REPLICAOF', 'NO', 'ONE'), send(1, 'REPLICAOF', 'NO', 'ONE')]);
          await Promise.all([send(0, 'FLUSHALL'), send(1, 'FLUSHALL')]);
          await send(0, 'SET', 'pad', PAD);
          await send(0, 'SET', 'pad', PAD);
          await send(0, 'DEL', 'pad');
        } catch {
          await restart();
          fresh = true;
        }
      }
      masterOf = [null, 0];
      linkWanted = [false, true];
      await send(1, 'REPLICAOF', '127.0.0.1', ports[0]!);
      await settle(ctx);
      if (!(await converged())) throw new Error(`the full sync of server 1 after ${fresh ? 'a restart' : 'a reset'} did not complete`);
      await Promise.all([send(0, 'CONFIG', 'RESETSTAT'), send(1, 'CONFIG', 'RESETSTAT')]);
      commands.length = 0;
    },
    async step(action, params, ctx) {
      const i = params as number;
      const o = 1 - i;
      switch (action) {
        case 'write':
          await send(i, 'INCR', 'n');
          break;
        case 'bigWrite':
          await send(i, 'INCR', 'n');
          await send(i, 'SET', 'pad', PAD);
          await send(i, 'SET', 'pad', PAD);
          break;
        case 'killLink':
          await send(i, 'CLIENT', 'KILL', 'TYPE', 'master');
          break;
        case 'disconnect':
          await send(i, 'REPLICAOF', '127.0.0.1', deadPort);
          linkWanted[i] = false;
          break;
        case 'reconnect':
        case 'follow':
          await send(i, 'REPLICAOF', '127.0.0.1', ports[o]!);
          masterOf[i] = o;
          linkWanted[i] = true;
          break;
        case 'promote':
          await send(i, 'REPLICAOF', 'NO', 'ONE');
          masterOf[i] = null;
          linkWanted[i] = false;
          break;
        default:
          throw new Error(`the Redis driver has no action '${action}'`);
      }
      await settle(ctx);
    },
    async observe() {
      const infos = await Promise.all([0, 1].map(async (i) => parseInfo(String(await clients[i]!.call('INFO', 'all')))));
      const data = await Promise.all([0, 1].map(async (i) => Number((await clients[i]!.call('GET', 'n')) ?? 0)));
      return infos.map((inf, i): RedisNodeView => {
        const replica = inf.role === 'slave';
        return {
          role: replica ? 'replica' : 'master',
          link: replica ? (inf.master_link_status === 'up' ? 'up' : 'down') : 'none',
          data: data[i]!,
          caughtUp: !replica || inf.master_repl_offset === infos[1 - i]!.master_repl_offset,
          fullSyncs: Number(inf.sync_full),
          partialSyncs: Number(inf.sync_partial_ok),
        };
      });
    },
    async close() {
      await closeClients();
      await Promise.all(servers.map((s) => s.dispose()));
    },
  };
  return driver;
}
