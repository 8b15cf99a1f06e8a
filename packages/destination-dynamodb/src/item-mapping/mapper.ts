import { randomUUID } from 'node:crypto';
import {
  type AirbyteRecordMessage,
  type AirbyteRecordMessageMetaChange,
  isCdcDeletion,
  valueAtPath,
} from '@tributary/airbyte-protocol';
import {
  type AttributeMap,
  type AttributeValue,
  attributeValueSize,
  NULL_VALUE,
  utf8Length,
} from './attribute-value.js';
import { ValueConverter } from './convert.js';
import { CURSOR_ATTRIBUTE, type Cursor, cursorAttribute, cursorOf, NO_CURSOR } from './cursor.js';
import {
  ENCODED_KEY_ATTRIBUTE,
  encodedKey,
  type KeyAttribute,
  keyValue,
  type PrimaryKeyPlan,
  RAW_ID_KEY,
  RAW_KEY,
} from './keys.js';

/** DynamoDB's item size limit: 400 KB, attribute names and values. */
export const MAX_ITEM_BYTES = 400 * 1024;

export const META = {
  rawId: '_airbyte_raw_id',
  extractedAt: '_airbyte_extracted_at',
  loadedAt: '_airbyte_loaded_at',
  meta: '_airbyte_meta',
  generationId: '_airbyte_generation_id',
  abId: '_airbyte_ab_id',
  syncTime: 'sync_time',
  data: '_airbyte_data',
  emittedAt: '_airbyte_emitted_at',
} as const;

/** One record as an item, measured, with what the loader needs to batch and deduplicate it. */
export interface MappedItem {
  readonly item: AttributeMap;
  /** DynamoDB size (≤ MAX_ITEM_BYTES). */
  readonly size: number;
  /** Estimated bytes in a request body. */
  readonly wire: number;
  /** The key attributes alone (a DeleteRequest's Key). */
  readonly key: AttributeMap;
  /** The key as text, to find repeats of one key in memory. */
  readonly keyText: string;
  /** Dedup streams: the record's cursor. */
  readonly cursor: Cursor;
  /** Dedup streams: a CDC deletion (the item is deleted, not written). */
  readonly deletion: boolean;
}

export type MapResult = MappedItem | { readonly rejected: string };

export function isRejected(r: MapResult): r is { readonly rejected: string } {
  return (r as { rejected?: string }).rejected !== undefined;
}

export interface MapperOptions {
  readonly layout: 'typed' | 'raw';
  /** The stream is deduplicated on its primary key (typed layout only). */
  readonly dedup: boolean;
  /** Key of typed dedup streams. */
  readonly primaryKey?: PrimaryKeyPlan;
  readonly cursorField: readonly string[];
  readonly generationId: number;
  readonly syncId: number | null;
  readonly syncStartedAt: number;
  readonly ttl?: { readonly attribute: string; readonly seconds: number };
  /** Test hook. */
  readonly now?: () => number;
}

/**
 * Builds items for one stream. Typed: each top-level field an attribute plus the Destinations V2
 * metadata. Raw: the upstream item (`_airbyte_ab_id`, `sync_time`, `_airbyte_data`,
 * `_airbyte_emitted_at`) plus generation and load time, and `_airbyte_meta` when anything changed.
 *
 * An item over 400 KB has its largest fields nulled (largest first) until it fits, each recorded
 * as NULLED / DESTINATION_RECORD_SIZE_LIMITATION; when even that cannot make it fit (the key or
 * the metadata alone are too large) the record is rejected.
 */
export class ItemMapper {
  readonly keySchema: readonly KeyAttribute[];
  private readonly conv = new ValueConverter();
  private readonly reserved: Set<string>;
  private readonly now: () => number;
  private readonly genAv: AttributeValue;
  private readonly syncIdAv: AttributeValue;
  private readonly syncTimeAv: AttributeValue;

  constructor(private readonly opts: MapperOptions) {
    this.now = opts.now ?? Date.now;
    if (opts.layout === 'raw') this.keySchema = RAW_KEY;
    else if (opts.dedup) {
      if (!opts.primaryKey) throw new Error('internal: a dedup stream needs a primary key plan');
      this.keySchema = opts.primaryKey.attributes;
    } else this.keySchema = RAW_ID_KEY;
    this.reserved = new Set<string>([
      META.rawId,
      META.extractedAt,
      META.loadedAt,
      META.meta,
      META.generationId,
    ]);
    if (opts.dedup) this.reserved.add(CURSOR_ATTRIBUTE);
    if (opts.primaryKey?.kind === 'encoded') this.reserved.add(ENCODED_KEY_ATTRIBUTE);
    if (opts.ttl) this.reserved.add(opts.ttl.attribute);
    this.genAv = { N: String(opts.generationId) };
    this.syncIdAv = opts.syncId === null ? NULL_VALUE : { N: String(opts.syncId) };
    this.syncTimeAv = { N: String(opts.syncStartedAt) };
  }

  map(record: AirbyteRecordMessage): MapResult {
    return this.opts.layout === 'raw' ? this.mapRaw(record) : this.mapTyped(record);
  }

  // ---- typed ----

  private mapTyped(record: AirbyteRecordMessage): MapResult {
    const { opts, conv } = this;
    const data = record.data;
    conv.reset();

    // Key first: a record without a usable key is rejected before any other work.
    let key: AttributeMap;
    let keyText: string;
    let cursor: Cursor = NO_CURSOR;
    let deletion = false;
    if (opts.dedup) {
      const pk = opts.primaryKey!;
      key = {};
      if (pk.kind === 'encoded') {
        const k = encodedKey(data, pk.paths);
        if (!k.ok) return { rejected: `its primary key ${k.reason}` };
        key[ENCODED_KEY_ATTRIBUTE] = k.av;
        keyText = k.text;
      } else {
        keyText = '';
        for (const attr of pk.attributes) {
          const k = keyValue(data[attr.name], attr.type, attr.role);
          if (!k.ok) return { rejected: `its primary key field ${JSON.stringify(attr.name)} ${k.reason}` };
          key[attr.name] = k.av;
          keyText = keyText === '' ? `${attr.type}:${k.text}` : `${keyText}\u0000${attr.type}:${k.text}`;
        }
      }
      cursor = opts.cursorField.length > 0 ? cursorOf(valueAtPath(data, opts.cursorField)) : NO_CURSOR;
      deletion = isCdcDeletion(data);
      if (deletion) {
        let size = 0;
        for (const name in key) size += utf8Length(name) + attributeValueSize(key[name]!);
        return { item: key, size, wire: size + 64, key, keyText, cursor, deletion };
      }
    } else {
      const rawId = randomUUID();
      key = { [META.rawId]: { S: rawId } };
      keyText = rawId;
    }

    const item: AttributeMap = {};
    const fields: Array<{ name: string; size: number }> = [];
    let size = 0;
    for (const name in data) {
      const value = data[name];
      if (value === undefined) continue;
      if (name === '' || this.reserved.has(name)) {
        conv.changes.push({ field: name, change: 'NULLED', reason: 'DESTINATION_SERIALIZATION_ERROR' });
        continue;
      }
      if (key[name] !== undefined) continue; // a key field: stored in the key's type below
      const av = conv.convert(value, name, 1);
      item[name] = av;
      const nameBytes = utf8Length(name);
      conv.wire += nameBytes + 3;
      const attrSize = nameBytes + conv.size;
      size += attrSize;
      fields.push({ name, size: attrSize });
    }
    for (const name in key) {
      item[name] = key[name]!;
      size += utf8Length(name) + attributeValueSize(key[name]!);
    }

    const loadedAt = Math.max(this.now(), opts.syncStartedAt);
    // Append/overwrite items have _airbyte_raw_id as their key (counted above); dedup items get one here.
    if (opts.dedup) {
      const rawId = randomUUID();
      item[META.rawId] = { S: rawId };
      size += 15 + 36;
      if (opts.cursorField.length > 0) {
        const cav = cursorAttribute(cursor);
        item[CURSOR_ATTRIBUTE] = cav;
        size += 15 + attributeValueSize(cav);
      }
    }
    const extracted: AttributeValue = { N: String(record.emitted_at) };
    item[META.extractedAt] = extracted;
    item[META.loadedAt] = { N: String(loadedAt) };
    item[META.generationId] = this.genAv;
    size +=
      21 +
      attributeValueSize(extracted) +
      18 +
      attributeValueSize(item[META.loadedAt]!) +
      22 +
      attributeValueSize(this.genAv);
    if (opts.ttl) {
      const ttlAv: AttributeValue = { N: String(Math.floor(loadedAt / 1000) + opts.ttl.seconds) };
      item[opts.ttl.attribute] = ttlAv;
      size += utf8Length(opts.ttl.attribute) + attributeValueSize(ttlAv);
    }
    const changes = mergeChanges(record, conv.changes);
    const fitted = this.fit(item, item, fields, size, changes, META.meta, true);
    if (fitted === null) return { rejected: tooLarge(key) };
    return { item, size: fitted, wire: conv.wire + 480, key, keyText, cursor, deletion: false };
  }

  // ---- raw ----

  private mapRaw(record: AirbyteRecordMessage): MapResult {
    const { opts, conv } = this;
    conv.reset();
    const data = record.data;
    const dataMap: AttributeMap = {};
    const fields: Array<{ name: string; size: number }> = [];
    let dataSize = 3;
    for (const name in data) {
      const value = data[name];
      if (value === undefined) continue;
      if (name === '') {
        conv.changes.push({ field: name, change: 'NULLED', reason: 'DESTINATION_SERIALIZATION_ERROR' });
        continue;
      }
      const av = conv.convert(value, name, 2);
      dataMap[name] = av;
      const nameBytes = utf8Length(name);
      conv.wire += nameBytes + 3;
      const entrySize = 1 + nameBytes + conv.size;
      dataSize += entrySize;
      fields.push({ name, size: entrySize - 1 });
    }
    const abId = randomUUID();
    const loadedAt = Math.max(this.now(), opts.syncStartedAt);
    const item: AttributeMap = {
      [META.abId]: { S: abId },
      [META.syncTime]: this.syncTimeAv,
      [META.data]: { M: dataMap },
      [META.emittedAt]: { N: String(record.emitted_at) },
      [META.generationId]: this.genAv,
      [META.loadedAt]: { N: String(loadedAt) },
    };
    let size = 14 + 36 + 9 + attributeValueSize(this.syncTimeAv) + 13 + dataSize;
    size += 19 + attributeValueSize(item[META.emittedAt]!) + 22 + attributeValueSize(this.genAv);
    size += 18 + attributeValueSize(item[META.loadedAt]!);
    if (opts.ttl) {
      const ttlAv: AttributeValue = { N: String(Math.floor(loadedAt / 1000) + opts.ttl.seconds) };
      item[opts.ttl.attribute] = ttlAv;
      size += utf8Length(opts.ttl.attribute) + attributeValueSize(ttlAv);
    }
    const changes = mergeChanges(record, conv.changes);
    const key: AttributeMap = { [META.abId]: item[META.abId]!, [META.syncTime]: this.syncTimeAv };
    const fitted = this.fit(item, dataMap, fields, size, changes, META.meta, changes.length > 0);
    if (fitted === null) return { rejected: tooLarge(key) };
    return {
      item,
      size: fitted,
      wire: conv.wire + 400,
      key,
      keyText: abId,
      cursor: NO_CURSOR,
      deletion: false,
    };
  }

  /**
   * Adds `_airbyte_meta` and, while the item is over the limit, nulls the largest field of
   * `container` (the item itself, or the raw `_airbyte_data` map). Returns the final size, or null
   * when nothing left to null makes the item fit.
   */
  private fit(
    item: AttributeMap,
    container: AttributeMap,
    fields: Array<{ name: string; size: number }>,
    size: number,
    changes: AirbyteRecordMessageMetaChange[],
    metaName: string,
    alwaysMeta: boolean,
  ): number | null {
    const metaNameBytes = utf8Length(metaName);
    let metaAv = alwaysMeta || changes.length > 0 ? this.metaValue(changes) : null;
    let total = size + (metaAv ? metaNameBytes + attributeValueSize(metaAv) : 0);
    if (total > MAX_ITEM_BYTES) {
      fields.sort((a, b) => b.size - a.size);
      for (const field of fields) {
        if (total <= MAX_ITEM_BYTES) break;
        const nulledSize = utf8Length(field.name) + 1;
        if (field.size <= nulledSize) break; // sorted: nothing larger is left
        container[field.name] = NULL_VALUE;
        size -= field.size - nulledSize;
        changes.push({ field: field.name, change: 'NULLED', reason: 'DESTINATION_RECORD_SIZE_LIMITATION' });
        metaAv = this.metaValue(changes);
        total = size + metaNameBytes + attributeValueSize(metaAv);
      }
      if (total > MAX_ITEM_BYTES) return null;
    }
    if (metaAv) item[metaName] = metaAv;
    return total;
  }

  private metaValue(changes: readonly AirbyteRecordMessageMetaChange[]): AttributeValue {
    const list: AttributeValue[] = new Array(changes.length);
    for (let i = 0; i < changes.length; i++) {
      const c = changes[i]!;
      list[i] = { M: { field: { S: c.field }, change: { S: c.change }, reason: { S: c.reason } } };
    }
    return { M: { sync_id: this.syncIdAv, changes: { L: list } } };
  }
}

function mergeChanges(
  record: AirbyteRecordMessage,
  own: AirbyteRecordMessageMetaChange[],
): AirbyteRecordMessageMetaChange[] {
  const source = record.meta?.changes;
  if (!source || source.length === 0) return own;
  return own.length === 0 ? [...source] : [...source, ...own];
}

function tooLarge(key: AttributeMap): string {
  let keyBytes = 0;
  for (const name in key) keyBytes += utf8Length(name) + attributeValueSize(key[name]!);
  return `it cannot fit in a DynamoDB item of ${MAX_ITEM_BYTES} bytes even with every field nulled (key ${keyBytes} bytes)`;
}
