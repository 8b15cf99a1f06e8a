import { z } from 'zod';

export const LOG_LEVELS = ['FATAL', 'ERROR', 'WARN', 'INFO', 'DEBUG', 'TRACE'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LogLevelSchema = z.enum(LOG_LEVELS);

export type AirbyteLogMessage = {
  level: LogLevel;
  message: string;
  stack_trace?: string | null;
};

export const AirbyteLogMessageSchema = z.looseObject({
  level: LogLevelSchema,
  message: z.string(),
  stack_trace: z.string().nullish(),
}) satisfies z.ZodType<AirbyteLogMessage>;
