import type { TableSchema } from '../reader/schema.js';
import type { EventOptions, KeyPlacement } from './builder.js';
import { DEFAULT_PLACEMENT } from './builder.js';
import { type Json, jsonSchemaFor } from './convert.js';

type Schema = { [k: string]: Json };

const nullable = (type: string): Schema => ({ type: ['null', type] });

function modifySchema(plain: Schema): Schema {
  return {
    anyOf: [
      plain,
      {
        type: 'object',
        description: 'element-level change of a non-frozen collection or UDT',
        properties: { mode: { type: 'string', enum: ['MODIFY'] }, added: {}, removed: { type: 'array' } },
      },
    ],
  };
}

/** JSON Schema of the events of one table (the record data of its Airbyte stream). */
export function eventJsonSchema(schema: TableSchema, options: EventOptions): Schema {
  const legacy = options.format === 'legacy';
  const placement = new Set<KeyPlacement>(
    legacy ? DEFAULT_PLACEMENT : (options.placement ?? DEFAULT_PLACEMENT),
  );
  const row = (withKey: boolean): Schema => {
    const properties: Schema = {};
    for (const c of schema.columns) {
      if (c.isKey) {
        if (withKey) properties[c.name] = jsonSchemaFor(c.type);
        continue;
      }
      const plain = jsonSchemaFor(c.type);
      const value = c.nonFrozen ? modifySchema(plain) : plain;
      properties[c.name] = legacy ? { type: ['null', 'object'], properties: { value } } : value;
    }
    return { type: ['null', 'object'], properties };
  };
  const keyColumns = legacy ? schema.columns.filter((c) => c.isKey) : schema.keyColumns;
  const keySchema: Schema = {
    type: 'object',
    properties: Object.fromEntries(keyColumns.map((c) => [c.name, jsonSchemaFor(c.type)])),
  };
  const properties: Schema = {
    source: {
      type: 'object',
      properties: {
        version: { type: 'string' },
        connector: { type: 'string' },
        name: { type: 'string' },
        ts_ms: { type: 'integer' },
        ts_us: { type: 'integer' },
        snapshot: { type: ['null', 'string'], enum: [null, 'true', 'last', 'false'] },
        db: { type: 'string' },
        keyspace_name: { type: 'string' },
        table_name: { type: 'string' },
        expired: { type: 'boolean', description: 'present (true) on deletes caused by TTL expiry' },
      },
    },
    before: row(legacy || placement.has('payload-before')),
    after: row(legacy || placement.has('payload-after')),
  };
  if (!legacy && placement.has('payload-key')) properties[options.payloadKeyName ?? 'key'] = keySchema;
  properties.op = { type: 'string', enum: ['c', 'u', 'd', 'r'] };
  properties.ts_ms = nullable('integer');
  properties.transaction = {
    type: ['null', 'object'],
    properties: {
      id: { type: 'string' },
      total_order: { type: 'integer' },
      data_collection_order: { type: 'integer' },
    },
  };
  if (placement.has('kafka-key')) properties._key = keySchema;
  return { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties };
}

/** Where the table's primary key columns are found in every record (deletes included). */
export function primaryKeyPaths(schema: TableSchema, options: EventOptions): string[][] {
  const legacy = options.format === 'legacy';
  const placement = new Set<KeyPlacement>(
    legacy ? DEFAULT_PLACEMENT : (options.placement ?? DEFAULT_PLACEMENT),
  );
  const cols = schema.keyColumns.map((c) => c.name);
  if (placement.has('kafka-key')) return cols.map((c) => ['_key', c]);
  if (placement.has('payload-key')) return cols.map((c) => [options.payloadKeyName ?? 'key', c]);
  return [];
}
