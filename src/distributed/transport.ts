import { InterleaveError, describeThrown } from '../errors.ts';

/**
 * The one way a distributed search talks: lists in Valkey/Redis (docs/distributed.md). A process holds two
 * connections, one for plain commands and one for blocking pops, to one server or to a Redis Cluster (found out
 * from the server itself). The client (ioredis) is an optional peer dependency, imported here only when a
 * distributed command runs: the one-machine default needs nothing.
 *
 * Every command has a deadline (COMMAND_MS), and a lost connection is not retried for long, so that a server that
 * restarts or goes away ends a search with CLUSTER_TRANSPORT_LOST instead of a hang.
 */

/** The commands we use, as ioredis spells them (kept loose here, so that ioredis's types stay out of ours). */
interface Client {
  rpush(key: string, ...values: (string | Buffer)[]): Promise<number>;
  llen(key: string): Promise<number>;
  lpopBuffer(key: string, count: number): Promise<Buffer[] | null>;
  blpopBuffer(...args: [...keys: string[], timeout: number]): Promise<[Buffer, Buffer] | null>;
  lrem(key: string, count: number, value: string): Promise<number>;
  set(key: string, value: string | Buffer, ...args: (string | number)[]): Promise<unknown>;
  getBuffer(key: string): Promise<Buffer | null>;
  get(key: string): Promise<string | null>;
  exists(key: string): Promise<number>;
  del(...keys: string[]): Promise<number>;
  pexpire(key: string, ms: number): Promise<number>;
  info(section: string): Promise<string>;
  quit(): Promise<unknown>;
  disconnect(): void;
  on(event: string, f: (...a: unknown[]) => void): unknown;
}

/** Milliseconds a command may take before the transport counts as lost. */
const COMMAND_MS = 8000;
/** Seconds a blocking pop waits before its caller looks around (heartbeats, aborts). */
export const POLL_S = 0.5;

export class Transport {
  private closed = false;
  private constructor(
    readonly url: string,
    private readonly cmd: Client,
    private readonly blocking: Client,
    /** Whether the server is a Redis Cluster. */
    readonly cluster: boolean,
  ) {}

  /** Connects to `redis://HOST:PORT` (a single server or any node of a Redis Cluster). */
  static async connect(url: string): Promise<Transport> {
    const { host, port } = parseUrl(url);
    const mod = await loadClient();
    const options = {
      host,
      port,
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      commandTimeout: COMMAND_MS,
      // A few quick reconnects, then the connection is given up on (commands fail: CLUSTER_TRANSPORT_LOST).
      retryStrategy: (times: number) => (times > 5 ? null : 200),
    };
    const probe = new mod.Redis(options) as unknown as Client & { connect(): Promise<void> };
    probe.on('error', () => {});
    let cluster = false;
    try {
      await probe.connect();
      cluster = /cluster_enabled:1/.test(await probe.info('cluster'));
    } catch (e) {
      probe.disconnect();
      throw new InterleaveError('CLUSTER_UNREACHABLE', `cannot reach Valkey/Redis at ${url}: ${describeThrown(e)}`, { url });
    }
    if (!cluster) {
      const blocking = new mod.Redis({ ...options, commandTimeout: COMMAND_MS + POLL_S * 1000 }) as unknown as Client;
      blocking.on('error', () => {});
      return new Transport(url, probe, blocking, false);
    }
    probe.disconnect();
    const make = (timeout: number) => {
      const c = new mod.Cluster([{ host, port }], {
        redisOptions: { maxRetriesPerRequest: 1, commandTimeout: timeout },
        clusterRetryStrategy: (times: number) => (times > 5 ? null : 200),
      }) as unknown as Client;
      c.on('error', () => {});
      return c;
    };
    return new Transport(url, make(COMMAND_MS), make(COMMAND_MS + POLL_S * 1000), true);
  }

  /** Runs a command; any failure of the server or the connection is CLUSTER_TRANSPORT_LOST. */
  private async run<T>(what: string, f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (e) {
      throw new InterleaveError('CLUSTER_TRANSPORT_LOST', `lost Valkey/Redis at ${this.url} (${what}: ${describeThrown(e)})`, { url: this.url });
    }
  }

  /** Appends to a list; returns its length after. */
  push(key: string, value: string | Buffer): Promise<number> {
    return this.run('RPUSH', () => this.cmd.rpush(key, value));
  }
  length(key: string): Promise<number> {
    return this.run('LLEN', () => this.cmd.llen(key));
  }
  /** Takes up to `count` values from the head of a list (none: an empty array). */
  async take(key: string, count: number): Promise<Buffer[]> {
    return (await this.run('LPOP', () => this.cmd.lpopBuffer(key, count))) ?? [];
  }
  /** Waits up to POLL_S for a value on any of the lists (all in one hash slot); null when none came. */
  async wait(keys: readonly string[]): Promise<{ key: string; value: Buffer } | null> {
    const r = await this.run('BLPOP', () => this.blocking.blpopBuffer(...keys, POLL_S));
    return r === null ? null : { key: r[0].toString(), value: r[1] };
  }
  remove(key: string, value: string): Promise<number> {
    return this.run('LREM', () => this.cmd.lrem(key, 0, value));
  }
  /** Sets a key that expires after `ttlMs`. */
  put(key: string, value: string | Buffer, ttlMs: number): Promise<unknown> {
    return this.run('SET', () => this.cmd.set(key, value, 'PX', ttlMs));
  }
  getBuffer(key: string): Promise<Buffer | null> {
    return this.run('GET', () => this.cmd.getBuffer(key));
  }
  get(key: string): Promise<string | null> {
    return this.run('GET', () => this.cmd.get(key));
  }
  async exists(key: string): Promise<boolean> {
    return (await this.run('EXISTS', () => this.cmd.exists(key))) === 1;
  }
  /** Deletes keys one by one (in a cluster they live in different slots). */
  async del(...keys: string[]): Promise<void> {
    for (const k of keys) await this.run('DEL', () => this.cmd.del(k));
  }

  /** Lets a key expire in `ms` (a list that a process may still read from). */
  async expire(key: string, ms: number): Promise<void> {
    await this.run('PEXPIRE', () => this.cmd.pexpire(key, ms));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const c of [this.cmd, this.blocking]) {
      try {
        c.disconnect();
      } catch {
        /* closing anyway */
      }
    }
  }
}

function parseUrl(url: string): { host: string; port: number } {
  const m = /^redis:\/\/([^:/\s]+)(?::(\d+))?\/?$/.exec(url.trim());
  const port = m ? Number(m[2] ?? 6379) : NaN;
  if (!m || !(port > 0 && port < 65536)) throw new InterleaveError('CLI_USAGE', `--cluster expects redis://HOST:PORT, got '${url}'`);
  return { host: m[1]!, port };
}

interface ClientModule {
  Redis: new (options: object) => unknown;
  Cluster: new (nodes: object[], options: object) => unknown;
}

/** Imports ioredis (an optional peer dependency) or says how to install it. */
async function loadClient(): Promise<ClientModule> {
  const name = 'ioredis';
  try {
    const mod = (await import(name)) as { default?: ClientModule & { Cluster: ClientModule['Cluster'] } } & Partial<ClientModule>;
    const Redis = (mod.Redis ?? mod.default) as ClientModule['Redis'];
    const Cluster = (mod.Cluster ?? mod.default?.Cluster) as ClientModule['Cluster'];
    if (typeof Redis !== 'function' || typeof Cluster !== 'function') throw new Error('ioredis exports no Redis or Cluster class');
    return { Redis, Cluster };
  } catch (e) {
    throw new InterleaveError('CLUSTER_NO_CLIENT', `a distributed search needs the Valkey/Redis client ioredis, which could not be loaded (${describeThrown(e)}): install it next to interleave with 'npm install ioredis'`);
  }
}
