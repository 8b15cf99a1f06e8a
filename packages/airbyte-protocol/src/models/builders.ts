// Builders for the messages a connector emits. They return plain objects ready for JSON.stringify
// and leave out optional fields that were not given (rather than writing nulls).
import type { AirbyteCatalog } from './catalog.js';
import type { AirbyteConnectionStatusValue } from './connection-status.js';
import type { ConnectorSpecification } from './connector-specification.js';
import type { DestinationCatalog } from './destination-catalog.js';
import type { JsonObject } from './json.js';
import type { LogLevel } from './log.js';
import type { AirbyteMessageOf } from './message.js';
import type { AirbyteRecordMessage, AirbyteRecordMessageMeta } from './record.js';
import type {
  AirbyteGlobalState,
  AirbyteStateMessage,
  AirbyteStateStats,
  AirbyteStreamState,
} from './state.js';
import type { StreamDescriptor } from './stream-descriptor.js';
import type {
  AirbyteErrorTraceMessage,
  AirbyteEstimateTraceMessage,
  AirbyteEstimateType,
  AirbyteStreamStatus,
  AirbyteStreamStatusReason,
  FailureType,
} from './trace.js';

export interface RecordMessageOptions {
  namespace?: string | null;
  /** Epoch milliseconds; defaults to Date.now(). */
  emittedAt?: number;
  meta?: AirbyteRecordMessageMeta;
}

export function recordMessage(
  stream: string,
  data: JsonObject,
  opts: RecordMessageOptions = {},
): AirbyteMessageOf<'RECORD'> {
  const record: AirbyteRecordMessage = { stream, data, emitted_at: opts.emittedAt ?? Date.now() };
  if (opts.namespace !== undefined && opts.namespace !== null) record.namespace = opts.namespace;
  if (opts.meta !== undefined) record.meta = opts.meta;
  return { type: 'RECORD', record };
}

export interface StateStatsOptions {
  sourceStats?: AirbyteStateStats;
  destinationStats?: AirbyteStateStats;
}

/** Wraps a state message as it is (e.g. one being echoed back by a destination). */
export function stateMessage(state: AirbyteStateMessage): AirbyteMessageOf<'STATE'> {
  return { type: 'STATE', state };
}

export function streamStateMessage(
  descriptor: StreamDescriptor,
  streamState: JsonObject | null | undefined,
  opts: StateStatsOptions = {},
): AirbyteMessageOf<'STATE'> {
  const stream: AirbyteStreamState = { stream_descriptor: descriptorOf(descriptor) };
  if (streamState !== undefined && streamState !== null) stream.stream_state = streamState;
  return stateMessage(withStats({ type: 'STREAM', stream }, opts));
}

export function globalStateMessage(
  global: { sharedState?: JsonObject | null; streamStates: AirbyteStreamState[] },
  opts: StateStatsOptions = {},
): AirbyteMessageOf<'STATE'> {
  const state: AirbyteGlobalState = { stream_states: global.streamStates };
  if (global.sharedState !== undefined && global.sharedState !== null)
    state.shared_state = global.sharedState;
  return stateMessage(withStats({ type: 'GLOBAL', global: state }, opts));
}

export function legacyStateMessage(
  data: JsonObject,
  opts: StateStatsOptions = {},
): AirbyteMessageOf<'STATE'> {
  return stateMessage(withStats({ type: 'LEGACY', data }, opts));
}

function withStats(state: AirbyteStateMessage, opts: StateStatsOptions): AirbyteStateMessage {
  if (opts.sourceStats !== undefined) state.sourceStats = opts.sourceStats;
  if (opts.destinationStats !== undefined) state.destinationStats = opts.destinationStats;
  return state;
}

export function logMessage(
  level: LogLevel,
  message: string,
  stackTrace?: string | null,
): AirbyteMessageOf<'LOG'> {
  return stackTrace === undefined || stackTrace === null
    ? { type: 'LOG', log: { level, message } }
    : { type: 'LOG', log: { level, message, stack_trace: stackTrace } };
}

export interface TraceErrorOptions {
  /** User-facing. */
  message: string;
  internalMessage?: string;
  stackTrace?: string;
  failureType: FailureType;
  streamDescriptor?: StreamDescriptor;
  emittedAt?: number;
}

export function traceErrorMessage(opts: TraceErrorOptions): AirbyteMessageOf<'TRACE'> {
  const error: AirbyteErrorTraceMessage = { message: opts.message, failure_type: opts.failureType };
  if (opts.internalMessage !== undefined) error.internal_message = opts.internalMessage;
  if (opts.stackTrace !== undefined) error.stack_trace = opts.stackTrace;
  if (opts.streamDescriptor !== undefined) error.stream_descriptor = descriptorOf(opts.streamDescriptor);
  return { type: 'TRACE', trace: { type: 'ERROR', emitted_at: opts.emittedAt ?? Date.now(), error } };
}

export function streamStatusMessage(
  descriptor: StreamDescriptor,
  status: AirbyteStreamStatus,
  reasons?: AirbyteStreamStatusReason[],
  emittedAt?: number,
): AirbyteMessageOf<'TRACE'> {
  const streamStatus =
    reasons === undefined
      ? { stream_descriptor: descriptorOf(descriptor), status }
      : { stream_descriptor: descriptorOf(descriptor), status, reasons };
  return {
    type: 'TRACE',
    trace: { type: 'STREAM_STATUS', emitted_at: emittedAt ?? Date.now(), stream_status: streamStatus },
  };
}

export interface EstimateOptions {
  name: string;
  namespace?: string | null;
  type: AirbyteEstimateType;
  rowEstimate?: number;
  byteEstimate?: number;
  emittedAt?: number;
}

export function estimateMessage(opts: EstimateOptions): AirbyteMessageOf<'TRACE'> {
  const estimate: AirbyteEstimateTraceMessage = { name: opts.name, type: opts.type };
  if (opts.namespace !== undefined && opts.namespace !== null) estimate.namespace = opts.namespace;
  if (opts.rowEstimate !== undefined) estimate.row_estimate = opts.rowEstimate;
  if (opts.byteEstimate !== undefined) estimate.byte_estimate = opts.byteEstimate;
  return { type: 'TRACE', trace: { type: 'ESTIMATE', emitted_at: opts.emittedAt ?? Date.now(), estimate } };
}

/** `type` should be a static string shared by all connectors; `value` an arbitrary string. */
export function analyticsMessage(
  type: string,
  value?: string | null,
  emittedAt?: number,
): AirbyteMessageOf<'TRACE'> {
  const analytics = value === undefined || value === null ? { type } : { type, value };
  return { type: 'TRACE', trace: { type: 'ANALYTICS', emitted_at: emittedAt ?? Date.now(), analytics } };
}

export function connectionStatusMessage(
  status: AirbyteConnectionStatusValue,
  message?: string | null,
): AirbyteMessageOf<'CONNECTION_STATUS'> {
  return {
    type: 'CONNECTION_STATUS',
    connectionStatus: message === undefined || message === null ? { status } : { status, message },
  };
}

export function specMessage(spec: ConnectorSpecification): AirbyteMessageOf<'SPEC'> {
  return { type: 'SPEC', spec };
}

export function catalogMessage(catalog: AirbyteCatalog): AirbyteMessageOf<'CATALOG'> {
  return { type: 'CATALOG', catalog };
}

export function destinationCatalogMessage(
  catalog: DestinationCatalog,
): AirbyteMessageOf<'DESTINATION_CATALOG'> {
  return { type: 'DESTINATION_CATALOG', destination_catalog: catalog };
}

/** Asks the platform to persist an updated config (e.g. a rotated token). */
export function controlConfigMessage(config: JsonObject, emittedAt?: number): AirbyteMessageOf<'CONTROL'> {
  return {
    type: 'CONTROL',
    control: { type: 'CONNECTOR_CONFIG', emitted_at: emittedAt ?? Date.now(), connectorConfig: { config } },
  };
}

// Drops a null namespace so the output never carries `"namespace": null`.
function descriptorOf(descriptor: StreamDescriptor): StreamDescriptor {
  return descriptor.namespace === undefined || descriptor.namespace === null
    ? { name: descriptor.name }
    : { name: descriptor.name, namespace: descriptor.namespace };
}
