/**
 * The few pieces of the protocol buffers wire format the KPL aggregated record needs: varints
 * (wire type 0) and length-delimited fields (wire type 2). Sizes are computed first so that a
 * message is written into one exactly sized buffer.
 */

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LEN = 2;
export const WIRE_FIXED32 = 5;

/** Bytes of the varint encoding of a non-negative safe integer. */
export function varintSize(value: number): number {
  if (value < 0 || !Number.isSafeInteger(value))
    throw new RangeError(`not a varint-encodable integer: ${value}`);
  let size = 1;
  while (value >= 128) {
    value = Math.floor(value / 128);
    size++;
  }
  return size;
}

/** Size of a tag (field number and wire type). */
export function tagSize(field: number): number {
  return varintSize(field * 8);
}

/** Size of a whole length-delimited field holding `length` bytes. */
export function lenFieldSize(field: number, length: number): number {
  return tagSize(field) + varintSize(length) + length;
}

/** Size of a whole varint field. */
export function varintFieldSize(field: number, value: number): number {
  return tagSize(field) + varintSize(value);
}

export class ProtoWriter {
  readonly buf: Buffer;
  pos: number;

  constructor(size: number, offset = 0) {
    this.buf = Buffer.allocUnsafe(size);
    this.pos = offset;
  }

  varint(value: number): this {
    while (value >= 128) {
      this.buf[this.pos++] = (value % 128) | 0x80;
      value = Math.floor(value / 128);
    }
    this.buf[this.pos++] = value;
    return this;
  }

  tag(field: number, wire: number): this {
    return this.varint(field * 8 + wire);
  }

  varintField(field: number, value: number): this {
    return this.tag(field, WIRE_VARINT).varint(value);
  }

  bytesField(field: number, bytes: Uint8Array): this {
    this.tag(field, WIRE_LEN).varint(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
    return this;
  }

  /** A string already encoded as UTF-8 (callers measure and encode once). */
  stringField(field: number, utf8: Buffer): this {
    return this.bytesField(field, utf8);
  }

  /** Header of an embedded message whose body of `length` bytes the caller writes next. */
  messageHeader(field: number, length: number): this {
    return this.tag(field, WIRE_LEN).varint(length);
  }

  raw(bytes: Uint8Array): this {
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
    return this;
  }
}

export class ProtoDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtoDecodeError';
  }
}

export class ProtoReader {
  pos: number;

  constructor(
    readonly buf: Uint8Array,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  varint(): number {
    let result = 0;
    let factor = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new ProtoDecodeError('truncated varint');
      const b = this.buf[this.pos++]!;
      result += (b & 0x7f) * factor;
      if (b < 0x80) {
        if (!Number.isSafeInteger(result)) throw new ProtoDecodeError('varint beyond 2^53');
        return result;
      }
      factor *= 128;
    }
    throw new ProtoDecodeError('varint longer than 10 bytes');
  }

  /** Next tag as [field number, wire type]. */
  tag(): [number, number] {
    const t = this.varint();
    const field = Math.floor(t / 8);
    if (field === 0) throw new ProtoDecodeError('field number 0');
    return [field, t % 8];
  }

  /** Body of a length-delimited field (a view, not a copy). */
  bytes(): Uint8Array {
    const length = this.varint();
    const start = this.pos;
    if (start + length > this.end) throw new ProtoDecodeError('length-delimited field past the end');
    this.pos += length;
    return this.buf.subarray(start, start + length);
  }

  /** A length-delimited field as a reader over its body. */
  message(): ProtoReader {
    const length = this.varint();
    const start = this.pos;
    if (start + length > this.end) throw new ProtoDecodeError('embedded message past the end');
    this.pos += length;
    return new ProtoReader(this.buf, start, start + length);
  }

  string(): string {
    return Buffer.from(this.bytes()).toString('utf8');
  }

  /** Skips a field of an unknown number. */
  skip(wire: number): void {
    switch (wire) {
      case WIRE_VARINT:
        this.varint();
        return;
      case WIRE_FIXED64:
        this.advance(8);
        return;
      case WIRE_LEN:
        this.bytes();
        return;
      case WIRE_FIXED32:
        this.advance(4);
        return;
      default:
        throw new ProtoDecodeError(`unsupported wire type ${wire}`);
    }
  }

  private advance(n: number): void {
    if (this.pos + n > this.end) throw new ProtoDecodeError('fixed-size field past the end');
    this.pos += n;
  }
}
