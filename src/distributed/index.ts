/**
 * Past one machine: a breadth-first search partitioned over node processes, with Valkey/Redis as the transport
 * (docs/distributed.md). The coordinator (coordinator.ts: `checkDistributed`, what `interleave check --cluster`
 * runs) hands a search to nodes (node.ts: `serveNode`, what `interleave node` runs); each node owns the states
 * whose fingerprint maps to it (participant.ts), and every message goes through lists in the server
 * (transport.ts, protocol.ts). Imported only by the CLI's distributed commands: the client is optional.
 */
export { checkDistributed, unsupportedOptions, unsupportedError, type ClusterOptions, type ClusterStats } from './coordinator.ts';
export { serveNode, type NodeOptions } from './node.ts';
