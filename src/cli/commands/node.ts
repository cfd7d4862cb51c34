import type { Command } from 'commander';
import { isInterleaveError } from '../../errors.ts';
import os from 'node:os';
import { loadSpecFile, pickSpec } from '../load.ts';
import { parseWorkers } from './check.ts';
import { EXIT, reportError, type Context } from '../context.ts';

/**
 * `interleave node --cluster redis://HOST:PORT`: serves distributed searches (docs/distributed.md) until SIGINT
 * or SIGTERM. Each search names the spec file; the node loads its own copy of it.
 */
export function registerNode(program: Command, ctx: Context): void {
  program
    .command('node')
    .description('serve distributed searches (check --cluster) through Valkey/Redis until stopped (docs/distributed.md)')
    .requiredOption('--cluster <url>', 'the Valkey/Redis server or Redis Cluster node, redis://HOST:PORT')
    .option('--name <name>', 'how this node is named in messages (default: host:pid)')
    .option('--workers <n>', "worker threads that expand this node's states: a number, or 'auto' (all cores); a search's own check --workers wins (default 1)")
    .action(async (flags: { cluster: string; name?: string; workers?: string }) => {
      const stop = new AbortController();
      const onSignal = () => stop.abort();
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      try {
        const workers = flags.workers === undefined ? 1 : parseWorkers(flags.workers);
        const { serveNode } = await import('../../distributed/index.ts');
        await serveNode({
          url: flags.cluster,
          name: flags.name,
          workers: workers === 'auto' ? os.availableParallelism() : workers,
          signal: stop.signal,
          load: async (file, specName) => pickSpec(await loadSpecFile(file), specName),
          log: (line) => ctx.io.err(line),
          onReady: () => ctx.io.err(`node ready: waiting for searches at ${flags.cluster}`),
        });
        ctx.code = EXIT.ok;
      } catch (e) {
        const code = reportError(ctx, e);
        // The server went away: what the node was doing is incomplete, not the user's input.
        ctx.code = isInterleaveError(e) && e.code === 'CLUSTER_TRANSPORT_LOST' ? EXIT.incomplete : code;
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}
