import { z } from 'zod';
import { type StreamDescriptor, StreamDescriptorSchema } from './stream-descriptor.js';

export const TRACE_TYPES = ['ERROR', 'ESTIMATE', 'STREAM_STATUS', 'ANALYTICS'] as const;
export type AirbyteTraceType = (typeof TRACE_TYPES)[number];
export const AirbyteTraceTypeSchema = z.enum(TRACE_TYPES);

export const FAILURE_TYPES = ['system_error', 'config_error', 'transient_error'] as const;
/** How the platform treats a failure: config errors go to the user, transient ones are retried. */
export type FailureType = (typeof FAILURE_TYPES)[number];
export const FailureTypeSchema = z.enum(FAILURE_TYPES);

export type AirbyteErrorTraceMessage = {
  /** User-facing. */
  message: string;
  internal_message?: string | null;
  stack_trace?: string | null;
  failure_type?: FailureType | null;
  stream_descriptor?: StreamDescriptor | null;
};

export const ESTIMATE_TYPES = ['STREAM', 'SYNC'] as const;
export type AirbyteEstimateType = (typeof ESTIMATE_TYPES)[number];
export const AirbyteEstimateTypeSchema = z.enum(ESTIMATE_TYPES);

export type AirbyteEstimateTraceMessage = {
  name: string;
  type: AirbyteEstimateType;
  namespace?: string | null;
  row_estimate?: number | null;
  byte_estimate?: number | null;
};

export const STREAM_STATUSES = ['STARTED', 'RUNNING', 'COMPLETE', 'INCOMPLETE'] as const;
export type AirbyteStreamStatus = (typeof STREAM_STATUSES)[number];
export const AirbyteStreamStatusSchema = z.enum(STREAM_STATUSES);

export const STREAM_STATUS_REASON_TYPES = ['RATE_LIMITED'] as const;
export type AirbyteStreamStatusReasonType = (typeof STREAM_STATUS_REASON_TYPES)[number];
export const AirbyteStreamStatusReasonTypeSchema = z.enum(STREAM_STATUS_REASON_TYPES);

export type AirbyteStreamStatusRateLimitedReason = {
  /** When the quota resets, epoch milliseconds. */
  quota_reset?: number | null;
};

export type AirbyteStreamStatusReason = {
  type: AirbyteStreamStatusReasonType;
  rate_limited?: AirbyteStreamStatusRateLimitedReason | null;
};

export type AirbyteStreamStatusTraceMessage = {
  stream_descriptor: StreamDescriptor;
  status: AirbyteStreamStatus;
  reasons?: AirbyteStreamStatusReason[] | null;
};

/** A connector-specific usage event; `type` should be a static string. */
export type AirbyteAnalyticsTraceMessage = {
  type: string;
  value?: string | null;
};

export type AirbyteTraceMessage = {
  type: AirbyteTraceType;
  /** Epoch milliseconds. */
  emitted_at: number;
  error?: AirbyteErrorTraceMessage | null;
  estimate?: AirbyteEstimateTraceMessage | null;
  stream_status?: AirbyteStreamStatusTraceMessage | null;
  analytics?: AirbyteAnalyticsTraceMessage | null;
};

export const AirbyteErrorTraceMessageSchema = z.looseObject({
  message: z.string(),
  internal_message: z.string().nullish(),
  stack_trace: z.string().nullish(),
  failure_type: FailureTypeSchema.nullish(),
  stream_descriptor: StreamDescriptorSchema.nullish(),
}) satisfies z.ZodType<AirbyteErrorTraceMessage>;

export const AirbyteEstimateTraceMessageSchema = z.looseObject({
  name: z.string(),
  type: AirbyteEstimateTypeSchema,
  namespace: z.string().nullish(),
  row_estimate: z.number().nullish(),
  byte_estimate: z.number().nullish(),
}) satisfies z.ZodType<AirbyteEstimateTraceMessage>;

export const AirbyteStreamStatusRateLimitedReasonSchema = z.looseObject({
  quota_reset: z.number().nullish(),
}) satisfies z.ZodType<AirbyteStreamStatusRateLimitedReason>;

export const AirbyteStreamStatusReasonSchema = z.looseObject({
  type: AirbyteStreamStatusReasonTypeSchema,
  rate_limited: AirbyteStreamStatusRateLimitedReasonSchema.nullish(),
}) satisfies z.ZodType<AirbyteStreamStatusReason>;

export const AirbyteStreamStatusTraceMessageSchema = z.looseObject({
  stream_descriptor: StreamDescriptorSchema,
  status: AirbyteStreamStatusSchema,
  reasons: z.array(AirbyteStreamStatusReasonSchema).nullish(),
}) satisfies z.ZodType<AirbyteStreamStatusTraceMessage>;

export const AirbyteAnalyticsTraceMessageSchema = z.looseObject({
  type: z.string(),
  value: z.string().nullish(),
}) satisfies z.ZodType<AirbyteAnalyticsTraceMessage>;

// Each trace type needs its payload; a TRACE ERROR without `error` tells nobody anything.
const PAYLOAD_OF = {
  ERROR: 'error',
  ESTIMATE: 'estimate',
  STREAM_STATUS: 'stream_status',
  ANALYTICS: 'analytics',
} as const satisfies Record<AirbyteTraceType, keyof AirbyteTraceMessage>;

export const AirbyteTraceMessageSchema = z
  .looseObject({
    type: AirbyteTraceTypeSchema,
    emitted_at: z.number(),
    error: AirbyteErrorTraceMessageSchema.nullish(),
    estimate: AirbyteEstimateTraceMessageSchema.nullish(),
    stream_status: AirbyteStreamStatusTraceMessageSchema.nullish(),
    analytics: AirbyteAnalyticsTraceMessageSchema.nullish(),
  })
  .superRefine((trace, ctx) => {
    const key = PAYLOAD_OF[trace.type];
    if (trace[key] === undefined || trace[key] === null) {
      ctx.addIssue({ code: 'custom', path: [key], message: `a ${trace.type} trace needs a "${key}" object` });
    }
  }) satisfies z.ZodType<AirbyteTraceMessage>;
