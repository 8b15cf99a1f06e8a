import { createHash } from 'node:crypto';
import {
  lenFieldSize,
  ProtoDecodeError,
  ProtoReader,
  ProtoWriter,
  varintFieldSize,
  WIRE_LEN,
  WIRE_VARINT,
} from './protobuf.js';

/**
 * The Kinesis Producer Library's aggregated record format (awslabs/amazon-kinesis-producer,
 * aggregation-format.md), which the KCL, Lambda and Firehose de-aggregate:
 *
 *   F3 89 9A C2 | protobuf AggregatedRecord | MD5 of the protobuf bytes (16 bytes)
 *
 *   message AggregatedRecord {
 *     repeated string partition_key_table     = 1;
 *     repeated string explicit_hash_key_table = 2;
 *     repeated Record records                 = 3;
 *   }
 *   message Record {
 *     required uint64 partition_key_index     = 1;
 *     optional uint64 explicit_hash_key_index = 2;
 *     required bytes  data                    = 3;
 *     repeated Tag    tags                    = 4;
 *   }
 *   message Tag { required string key = 1; optional string value = 2; }
 */
export const KPL_MAGIC = Buffer.from([0xf3, 0x89, 0x9a, 0xc2]);
const MD5_LENGTH = 16;
/** Magic plus digest: what an aggregate costs beyond its protobuf. */
export const AGGREGATE_OVERHEAD = KPL_MAGIC.length + MD5_LENGTH;

const AGG_PARTITION_KEY_TABLE = 1;
const AGG_EXPLICIT_HASH_KEY_TABLE = 2;
const AGG_RECORDS = 3;
const REC_PARTITION_KEY_INDEX = 1;
const REC_EXPLICIT_HASH_KEY_INDEX = 2;
const REC_DATA = 3;
const REC_TAGS = 4;
const TAG_KEY = 1;
const TAG_VALUE = 2;

export interface UserRecordTag {
  readonly key: string;
  readonly value?: string;
}

/** One record inside an aggregate, as a producer put it and a consumer gets it back. */
export interface UserRecord {
  readonly partitionKey: string;
  readonly explicitHashKey?: string;
  readonly data: Uint8Array;
  readonly tags?: readonly UserRecordTag[];
}

interface Entry {
  pkIndex: number;
  ehkIndex: number; // -1: none
  data: Uint8Array;
  bodySize: number;
}

/**
 * Builds one aggregated record incrementally, keeping its exact encoded size, so a caller can ask
 * "how big would it be with this record too?" before adding it. Partition keys and explicit hash
 * keys are stored once each in the tables.
 */
export class AggregateBuilder {
  private readonly pkIndex = new Map<string, number>();
  private readonly pkTable: Buffer[] = [];
  private readonly ehkIndex = new Map<string, number>();
  private readonly ehkTable: Buffer[] = [];
  private readonly entries: Entry[] = [];
  private protoSize = 0;

  get count(): number {
    return this.entries.length;
  }

  /** Bytes of the encoded aggregate (magic + protobuf + MD5). */
  get size(): number {
    return AGGREGATE_OVERHEAD + this.protoSize;
  }

  /** The encoded size if `record` were added. */
  sizeWith(partitionKey: string, data: Uint8Array, explicitHashKey?: string): number {
    return AGGREGATE_OVERHEAD + this.protoSize + this.growth(partitionKey, data.length, explicitHashKey);
  }

  add(partitionKey: string, data: Uint8Array, explicitHashKey?: string): void {
    this.protoSize += this.growth(partitionKey, data.length, explicitHashKey);
    let pk = this.pkIndex.get(partitionKey);
    if (pk === undefined) {
      pk = this.pkTable.length;
      this.pkIndex.set(partitionKey, pk);
      this.pkTable.push(Buffer.from(partitionKey, 'utf8'));
    }
    let ehk = -1;
    if (explicitHashKey !== undefined) {
      let found = this.ehkIndex.get(explicitHashKey);
      if (found === undefined) {
        found = this.ehkTable.length;
        this.ehkIndex.set(explicitHashKey, found);
        this.ehkTable.push(Buffer.from(explicitHashKey, 'utf8'));
      }
      ehk = found;
    }
    this.entries.push({ pkIndex: pk, ehkIndex: ehk, data, bodySize: recordBodySize(pk, ehk, data.length) });
  }

  /** The aggregated record: magic, protobuf, MD5 of the protobuf. */
  encode(): Buffer {
    const w = new ProtoWriter(this.size);
    w.raw(KPL_MAGIC);
    for (const key of this.pkTable) w.stringField(AGG_PARTITION_KEY_TABLE, key);
    for (const key of this.ehkTable) w.stringField(AGG_EXPLICIT_HASH_KEY_TABLE, key);
    for (const e of this.entries) {
      w.messageHeader(AGG_RECORDS, e.bodySize);
      w.varintField(REC_PARTITION_KEY_INDEX, e.pkIndex);
      if (e.ehkIndex >= 0) w.varintField(REC_EXPLICIT_HASH_KEY_INDEX, e.ehkIndex);
      w.bytesField(REC_DATA, e.data);
    }
    const protoEnd = w.pos;
    createHash('md5').update(w.buf.subarray(KPL_MAGIC.length, protoEnd)).digest().copy(w.buf, protoEnd);
    w.pos += MD5_LENGTH;
    if (w.pos !== w.buf.length)
      throw new Error(`internal: aggregate size ${w.pos} != computed ${w.buf.length}`);
    return w.buf;
  }

  private growth(partitionKey: string, dataLength: number, explicitHashKey?: string): number {
    let grow = 0;
    let pk = this.pkIndex.get(partitionKey);
    if (pk === undefined) {
      pk = this.pkTable.length;
      grow += lenFieldSize(AGG_PARTITION_KEY_TABLE, Buffer.byteLength(partitionKey, 'utf8'));
    }
    let ehk = -1;
    if (explicitHashKey !== undefined) {
      const found = this.ehkIndex.get(explicitHashKey);
      if (found === undefined) {
        ehk = this.ehkTable.length;
        grow += lenFieldSize(AGG_EXPLICIT_HASH_KEY_TABLE, Buffer.byteLength(explicitHashKey, 'utf8'));
      } else ehk = found;
    }
    return grow + lenFieldSize(AGG_RECORDS, recordBodySize(pk, ehk, dataLength));
  }
}

function recordBodySize(pkIndex: number, ehkIndex: number, dataLength: number): number {
  return (
    varintFieldSize(REC_PARTITION_KEY_INDEX, pkIndex) +
    (ehkIndex >= 0 ? varintFieldSize(REC_EXPLICIT_HASH_KEY_INDEX, ehkIndex) : 0) +
    lenFieldSize(REC_DATA, dataLength)
  );
}

/** Encodes records into one aggregated record (for tests and tools; the sender uses the builder). */
export function encodeAggregate(records: readonly UserRecord[]): Buffer {
  if (records.some((r) => r.tags && r.tags.length > 0)) return encodeWithTags(records);
  const b = new AggregateBuilder();
  for (const r of records) b.add(r.partitionKey, r.data, r.explicitHashKey);
  return b.encode();
}

// Tags are never written by this connector; supported so that the decoder can be tested on them.
function encodeWithTags(records: readonly UserRecord[]): Buffer {
  const pks: string[] = [];
  const ehks: string[] = [];
  const indexOf = (table: string[], key: string) => {
    const i = table.indexOf(key);
    return i >= 0 ? i : table.push(key) - 1;
  };
  const bodies = records.map((r) => {
    const pk = indexOf(pks, r.partitionKey);
    const ehk = r.explicitHashKey === undefined ? -1 : indexOf(ehks, r.explicitHashKey);
    const tags = (r.tags ?? []).map((t) => {
      const key = Buffer.from(t.key, 'utf8');
      const value = t.value === undefined ? undefined : Buffer.from(t.value, 'utf8');
      return {
        key,
        value,
        size: lenFieldSize(TAG_KEY, key.length) + (value ? lenFieldSize(TAG_VALUE, value.length) : 0),
      };
    });
    const size =
      recordBodySize(pk, ehk, r.data.length) + tags.reduce((n, t) => n + lenFieldSize(REC_TAGS, t.size), 0);
    return { pk, ehk, data: r.data, tags, size };
  });
  const pkBufs = pks.map((k) => Buffer.from(k, 'utf8'));
  const ehkBufs = ehks.map((k) => Buffer.from(k, 'utf8'));
  const proto =
    pkBufs.reduce((n, k) => n + lenFieldSize(AGG_PARTITION_KEY_TABLE, k.length), 0) +
    ehkBufs.reduce((n, k) => n + lenFieldSize(AGG_EXPLICIT_HASH_KEY_TABLE, k.length), 0) +
    bodies.reduce((n, b) => n + lenFieldSize(AGG_RECORDS, b.size), 0);
  const w = new ProtoWriter(AGGREGATE_OVERHEAD + proto);
  w.raw(KPL_MAGIC);
  for (const k of pkBufs) w.stringField(AGG_PARTITION_KEY_TABLE, k);
  for (const k of ehkBufs) w.stringField(AGG_EXPLICIT_HASH_KEY_TABLE, k);
  for (const b of bodies) {
    w.messageHeader(AGG_RECORDS, b.size);
    w.varintField(REC_PARTITION_KEY_INDEX, b.pk);
    if (b.ehk >= 0) w.varintField(REC_EXPLICIT_HASH_KEY_INDEX, b.ehk);
    w.bytesField(REC_DATA, b.data);
    for (const t of b.tags) {
      w.messageHeader(REC_TAGS, t.size);
      w.stringField(TAG_KEY, t.key);
      if (t.value) w.stringField(TAG_VALUE, t.value);
    }
  }
  const end = w.pos;
  createHash('md5').update(w.buf.subarray(KPL_MAGIC.length, end)).digest().copy(w.buf, end);
  return w.buf;
}

/** True when `data` starts with the KPL magic and is long enough to hold a digest. */
export function isAggregated(data: Uint8Array): boolean {
  return (
    data.length >= AGGREGATE_OVERHEAD &&
    data[0] === KPL_MAGIC[0] &&
    data[1] === KPL_MAGIC[1] &&
    data[2] === KPL_MAGIC[2] &&
    data[3] === KPL_MAGIC[3]
  );
}

export class AggregateDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AggregateDecodeError';
  }
}

/**
 * Decodes an aggregated record, verifying the MD5 digest first. Throws AggregateDecodeError on a
 * bad magic, digest or protobuf, or an index outside its table.
 */
export function decodeAggregate(data: Uint8Array): UserRecord[] {
  if (!isAggregated(data))
    throw new AggregateDecodeError('not a KPL aggregated record (magic bytes missing)');
  const protoEnd = data.length - MD5_LENGTH;
  const proto = data.subarray(KPL_MAGIC.length, protoEnd);
  const digest = createHash('md5').update(proto).digest();
  if (!digest.equals(data.subarray(protoEnd))) throw new AggregateDecodeError('MD5 digest does not match');
  try {
    return parseAggregate(new ProtoReader(data, KPL_MAGIC.length, protoEnd));
  } catch (err) {
    if (err instanceof ProtoDecodeError)
      throw new AggregateDecodeError(`malformed aggregate: ${err.message}`);
    throw err;
  }
}

interface RawRecord {
  pk: number;
  ehk: number;
  data: Uint8Array | null;
  tags: UserRecordTag[];
}

function parseAggregate(r: ProtoReader): UserRecord[] {
  const pks: string[] = [];
  const ehks: string[] = [];
  const raws: RawRecord[] = [];
  while (!r.done) {
    const [field, wire] = r.tag();
    if (field === AGG_PARTITION_KEY_TABLE && wire === WIRE_LEN) pks.push(r.string());
    else if (field === AGG_EXPLICIT_HASH_KEY_TABLE && wire === WIRE_LEN) ehks.push(r.string());
    else if (field === AGG_RECORDS && wire === WIRE_LEN) raws.push(parseRecord(r.message()));
    else r.skip(wire);
  }
  return raws.map((raw, i) => {
    const partitionKey = pks[raw.pk];
    if (partitionKey === undefined)
      throw new AggregateDecodeError(`record ${i}: partition key index ${raw.pk} out of range`);
    if (raw.data === null) throw new AggregateDecodeError(`record ${i}: no data`);
    const out: { partitionKey: string; data: Uint8Array; explicitHashKey?: string; tags?: UserRecordTag[] } =
      {
        partitionKey,
        data: raw.data,
      };
    if (raw.ehk >= 0) {
      const ehk = ehks[raw.ehk];
      if (ehk === undefined)
        throw new AggregateDecodeError(`record ${i}: explicit hash key index ${raw.ehk} out of range`);
      out.explicitHashKey = ehk;
    }
    if (raw.tags.length > 0) out.tags = raw.tags;
    return out;
  });
}

function parseRecord(r: ProtoReader): RawRecord {
  const rec: RawRecord = { pk: -1, ehk: -1, data: null, tags: [] };
  while (!r.done) {
    const [field, wire] = r.tag();
    if (field === REC_PARTITION_KEY_INDEX && wire === WIRE_VARINT) rec.pk = r.varint();
    else if (field === REC_EXPLICIT_HASH_KEY_INDEX && wire === WIRE_VARINT) rec.ehk = r.varint();
    else if (field === REC_DATA && wire === WIRE_LEN) rec.data = r.bytes();
    else if (field === REC_TAGS && wire === WIRE_LEN) rec.tags.push(parseTag(r.message()));
    else r.skip(wire);
  }
  return rec;
}

function parseTag(r: ProtoReader): UserRecordTag {
  let key: string | undefined;
  let value: string | undefined;
  while (!r.done) {
    const [field, wire] = r.tag();
    if (field === TAG_KEY && wire === WIRE_LEN) key = r.string();
    else if (field === TAG_VALUE && wire === WIRE_LEN) value = r.string();
    else r.skip(wire);
  }
  if (key === undefined) throw new AggregateDecodeError('tag without key');
  return value === undefined ? { key } : { key, value };
}

/**
 * What a consumer gets from one Kinesis record: the user records of an aggregate, or the record
 * itself (with the Kinesis record's partition key) when it is not aggregated.
 */
export function deaggregate(data: Uint8Array, partitionKey: string, explicitHashKey?: string): UserRecord[] {
  if (!isAggregated(data))
    return [explicitHashKey === undefined ? { partitionKey, data } : { partitionKey, explicitHashKey, data }];
  return decodeAggregate(data);
}
