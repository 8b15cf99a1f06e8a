import { z } from 'zod';
import { type JsonObject, JsonObjectSchema } from './json.js';
import { type StreamDescriptor, StreamDescriptorSchema } from './stream-descriptor.js';

export const STATE_TYPES = ['GLOBAL', 'STREAM', 'LEGACY'] as const;
/** STREAM: isolated per-stream state; GLOBAL: shared state plus per-stream states (CDC); LEGACY: opaque `data`. */
export type AirbyteStateType = (typeof STATE_TYPES)[number];
export const AirbyteStateTypeSchema = z.enum(STATE_TYPES);

export type AirbyteStreamState = {
  stream_descriptor: StreamDescriptor;
  stream_state?: JsonObject | null;
};

export type AirbyteGlobalState = {
  shared_state?: JsonObject | null;
  stream_states: AirbyteStreamState[];
};

export type AirbyteStateStats = {
  /** Records emitted (source) or committed (destination) for this state; a float on the wire, e.g. `1.0`. */
  recordCount?: number | null;
  rejectedRecordCount?: number | null;
};

/** A checkpoint. Sources emit it; destinations echo it back once every record before it is committed. */
export type AirbyteStateMessage = {
  /** Absent or null means LEGACY (see {@link stateTypeOf}). */
  type?: AirbyteStateType | null;
  stream?: AirbyteStreamState | null;
  global?: AirbyteGlobalState | null;
  /** LEGACY state blob (deprecated by the protocol). */
  data?: JsonObject | null;
  sourceStats?: AirbyteStateStats | null;
  destinationStats?: AirbyteStateStats | null;
};

export const AirbyteStreamStateSchema = z.looseObject({
  stream_descriptor: StreamDescriptorSchema,
  stream_state: JsonObjectSchema.nullish(),
}) satisfies z.ZodType<AirbyteStreamState>;

export const AirbyteGlobalStateSchema = z.looseObject({
  shared_state: JsonObjectSchema.nullish(),
  stream_states: z.array(AirbyteStreamStateSchema),
}) satisfies z.ZodType<AirbyteGlobalState>;

export const AirbyteStateStatsSchema = z.looseObject({
  recordCount: z.number().nullish(),
  rejectedRecordCount: z.number().nullish(),
}) satisfies z.ZodType<AirbyteStateStats>;

// The protocol marks nothing as required, but a STREAM state without `stream` (or a GLOBAL one
// without `global`) carries nothing anybody could act on, so those are rejected.
export const AirbyteStateMessageSchema = z
  .looseObject({
    type: AirbyteStateTypeSchema.nullish(),
    stream: AirbyteStreamStateSchema.nullish(),
    global: AirbyteGlobalStateSchema.nullish(),
    data: JsonObjectSchema.nullish(),
    sourceStats: AirbyteStateStatsSchema.nullish(),
    destinationStats: AirbyteStateStatsSchema.nullish(),
  })
  .superRefine((state, ctx) => {
    if (state.type === 'STREAM' && (state.stream === undefined || state.stream === null)) {
      ctx.addIssue({ code: 'custom', path: ['stream'], message: 'a STREAM state needs a "stream" object' });
    }
    if (state.type === 'GLOBAL' && (state.global === undefined || state.global === null)) {
      ctx.addIssue({ code: 'custom', path: ['global'], message: 'a GLOBAL state needs a "global" object' });
    }
  }) satisfies z.ZodType<AirbyteStateMessage>;

/** The effective type of a state message: the protocol says an absent type means LEGACY. */
export function stateTypeOf(state: Pick<AirbyteStateMessage, 'type'>): AirbyteStateType {
  return state.type ?? 'LEGACY';
}
