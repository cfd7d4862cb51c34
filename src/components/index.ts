/**
 * Reusable components: small typed transition systems that specs compose (see docs/components.md). Each gives a
 * zod schema builder for its slice of the state (bounded, so the packed codec applies), pure transition
 * functions, and where useful action definitions to spread into a spec's `actions`.
 */
export {
  networkState,
  emptyNetwork,
  canSend,
  send,
  inFlight,
  deliveries,
  receive,
  messagesInFlight,
  drop,
  duplicate,
  networkFaultActions,
  type Ordering,
  type NetworkBounds,
  type Network,
  type Delivery,
  type NetworkActionsOptions,
} from './network.ts';
export { ConnectionPhase, connectionState, Connection, noUseAfterClose, type ConnectionState } from './connection.ts';
export {
  SslWriteError,
  tlsWriteState,
  tlsWriteIdle,
  SOCKET_OUTCOMES,
  sslWrite,
  violatesRetryLength,
  sslWriteContractHolds,
  type TlsWriteState,
  type TlsWriteBounds,
  type SocketOutcome,
  type SslWriteOptions,
  type SslWriteResult,
} from './tls-write.ts';
export { rioState, rioInit, rioRead, rioWrite, rioAbort, rioFailed, RIO_OUTCOMES, type RioState, type RioOutcome, type RioOptions, type RioResult } from './rio.ts';
export { ClientPhase, clientListState, ClientList, noUseOfClosingClient, noUseAfterFree, type ClientState } from './client-list.ts';
