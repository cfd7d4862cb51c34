/** Traces: the versioned trace file format, reading (ours and ITF), ITF conversion and replay. */
export { TRACE_FORMAT_VERSION, traceFileSchema, traceStepSchema, traceFileOf, toJson, explanationSchema, type TraceFile, type TraceExplanation } from './format.ts';
export { annotateTrace, annotateForTrace, explainViolation, viewsOf, recordReads, lastChanged, type RuntimeStep, type ReadLog } from './explain.ts';
export { readTrace, type ReadTraceResult } from './read.ts';
export { toItf, fromItf, isItf, valueToItf, valueFromItf, ITF_FORMAT_DESCRIPTION, type ItfTrace } from './itf.ts';
export { replay, type ReplayResult, type ReplayDivergenceReason } from './replay.ts';
export { compareValues, valueAt, childPath, tagOf, VALUE_TAGS, FORBIDDEN_KEYS, type ValueTag } from './values.ts';
export { diffValues, firstDifference, firstChange, equalValues, alignSequences, valueKey, SEQUENCE_DIFF_LIMIT, type Change, type DiffOptions } from './diff.ts';
