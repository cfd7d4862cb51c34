export { z } from 'zod';
export * from './model/index.ts';
export * from './checker/index.ts';
export { profileCheck, type ProfiledResult, type SpecProfile, type ProfileEntry } from './profile/index.ts';
export { InterleaveError, ERROR_CATALOGUE, isInterleaveError, type ErrorCode, type ErrorDetails } from './errors.ts';
export * from './components/index.ts';
export {
  TRACE_FORMAT_VERSION,
  traceFileSchema,
  traceFileOf,
  readTrace,
  replay,
  toItf,
  fromItf,
  type TraceFile,
  type ReadTraceResult,
  type ReplayResult,
  type ReplayDivergenceReason,
  type ItfTrace,
} from './trace/index.ts';
