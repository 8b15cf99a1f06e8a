export { abstractTypeOf, describeSchema } from './abstract-type-of.js';
export type { AbstractKind, AbstractType, ColumnSpec, TypeDescription } from './abstract-type.js';
export { type CoerceFailureReason, type CoerceOptions, type CoerceResult, coerceValue } from './coerce.js';
export { columnsOf } from './columns.js';
export {
  type DateValue,
  daysFromCivil,
  parseDate,
  parseTimeNtz,
  parseTimestampNtz,
  parseTimestampTz,
  parseTimeTz,
  type TemporalFailure,
  type TimeNtzValue,
  type TimestampNtzValue,
  type TimestampTzValue,
  type TimeTzValue,
} from './temporal.js';
