/**
 * Destination-neutral column types derived from a stream's JSON schema; each destination maps
 * them to its own types (e.g. Cassandra: bigint/varint, double, text, date, timestamp, time).
 */
export type AbstractType =
  | { kind: 'integer' }
  | { kind: 'number' }
  | { kind: 'boolean' }
  /** `binary` marks base64 data (WellKnownTypes BinaryData, contentEncoding base64). */
  | { kind: 'string'; binary?: true }
  | { kind: 'date' }
  | { kind: 'timestamp_tz' }
  | { kind: 'timestamp_ntz' }
  | { kind: 'time_tz' }
  | { kind: 'time_ntz' }
  /** `properties` absent: schemaless object; `{}`: object declared with no properties. */
  | { kind: 'object'; properties?: Record<string, AbstractType> }
  /** `items` absent: array without an item schema. */
  | { kind: 'array'; items?: AbstractType }
  /** Two or more distinct non-null options. */
  | { kind: 'union'; options: AbstractType[] }
  /** No usable type information (`{}`, `true`, unknown `$ref`s, invalid schemas). */
  | { kind: 'unknown' };

export type AbstractKind = AbstractType['kind'];

export interface ColumnSpec {
  name: string;
  type: AbstractType;
  /**
   * The schema admits null explicitly (`"type": ["null", ...]`, a null option in
   * oneOf/anyOf) or says nothing about the type. A field may still be absent from a record, and
   * invalid values are nulled, so only `required && !nullable` justifies a NOT NULL column.
   */
  nullable: boolean;
  /** Listed in the parent schema's `required`. */
  required: boolean;
}

/** A type with the nullability its schema declared. */
export interface TypeDescription {
  type: AbstractType;
  nullable: boolean;
}
