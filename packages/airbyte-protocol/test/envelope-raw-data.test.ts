import fc from 'fast-check';
import {
  hasInexactNumbers,
  parseExactJson,
  recordDataExact,
  recordDataJson,
  recordDataText,
  stringifyExact,
} from '../src/index.js';

/** Serialises like JSON.stringify, with optional whitespace around every token. */
function spaced(value: unknown, space: () => string): string {
  if (Array.isArray(value))
    return `[${space()}${value.map((v) => spaced(v, space)).join(`${space()},${space()}`)}${space()}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.entries(value).map(
      ([k, v]) => `${JSON.stringify(k)}${space()}:${space()}${spaced(v, space)}`,
    );
    return `{${space()}${members.join(`${space()},${space()}`)}${space()}}`;
  }
  return JSON.stringify(value);
}

const data = fc.dictionary(fc.string(), fc.jsonValue());

describe('recordDataText', () => {
  it('cuts out the data of a compact RECORD line', () => {
    const line = '{"type":"RECORD","record":{"stream":"s","data":{"id":1,"n":"x"},"emitted_at":1}}';
    expect(recordDataText(line)).toBe('{"id":1,"n":"x"}');
  });

  it('keeps integers beyond 2^53 digit for digit', () => {
    const line =
      '{"type":"RECORD","record":{"stream":"s","data":{"id":12345678901234567891,"d":1.10},"emitted_at":1}}';
    expect(recordDataText(line)).toBe('{"id":12345678901234567891,"d":1.10}');
  });

  it('finds data wherever it is among the members, with strings that look like keys', () => {
    const line =
      '{"record":{"data":{"data":{"record":"}\\"data\\":{"},"q":"\\\\"},"stream":"\\"data\\":{}","emitted_at":1},"type":"RECORD"}';
    expect(JSON.parse(recordDataText(line)!)).toEqual(JSON.parse(line).record.data);
  });

  it('takes the last of duplicate keys, as JSON.parse does', () => {
    const line = '{"type":"RECORD","record":{"data":{"a":1},"stream":"s","data":{"b":2}}}';
    expect(recordDataText(line)).toBe('{"b":2}');
    const twice = '{"record":{"data":{"a":1}},"type":"RECORD","record":{"stream":"s","data":{"c":3}}}';
    expect(recordDataText(twice)).toBe('{"c":3}');
  });

  it('is undefined when there is no data object to cut out', () => {
    expect(recordDataText('{"type":"STATE","state":{}}')).toBeUndefined();
    expect(recordDataText('{"type":"RECORD","record":{"stream":"s","data":[1]}}')).toBeUndefined();
    expect(recordDataText('{"type":"RECORD","record":{"stream":"s","d\\u0061ta":{}}}')).toBeUndefined();
    expect(recordDataText('[]')).toBeUndefined();
  });

  it('gives exactly what JSON.stringify gives for compact lines (property)', () => {
    fc.assert(
      fc.property(data, fc.string(), fc.boolean(), (d, stream, dataFirst) => {
        const record = dataFirst ? { data: d, stream, emitted_at: 1 } : { stream, emitted_at: 1, data: d };
        const line = JSON.stringify({ type: 'RECORD', record });
        expect(recordDataText(line)).toBe(JSON.stringify(d));
      }),
      { numRuns: 500 },
    );
  });

  it('gives text that parses to the data with any spacing (property)', () => {
    fc.assert(
      fc.property(data, fc.array(fc.constantFrom('', ' ', '\t', '  \r ')), (d, spaces) => {
        let i = 0;
        const space = () => spaces[i++ % Math.max(1, spaces.length)] ?? '';
        const line = spaced({ type: 'RECORD', record: { stream: 's', data: d, emitted_at: 2 } }, space);
        const text = recordDataText(line);
        expect(text).toBeDefined();
        expect(JSON.parse(text!)).toEqual(JSON.parse(JSON.stringify(d)));
      }),
      { numRuns: 500 },
    );
  });
});

describe('hasInexactNumbers / recordDataJson', () => {
  it('flags integers beyond 2^53 and non-finite numbers, anywhere in the value', () => {
    expect(hasInexactNumbers({ a: 1, b: 'x', c: [1.5, { d: 2 ** 53 - 1 }] })).toBe(false);
    expect(hasInexactNumbers({ a: 2 ** 53 + 2 })).toBe(true);
    expect(hasInexactNumbers({ a: [{ b: -1e20 }] })).toBe(true);
    expect(hasInexactNumbers(JSON.parse('{"a":1e400}'))).toBe(true);
    expect(hasInexactNumbers(null)).toBe(false);
  });

  it('serialises the parsed data unless a number lost digits, then takes the source text', () => {
    const plain = '{"type":"RECORD","record":{"stream":"s","data":{"a": 1.10,"b":"x"}}}';
    expect(recordDataJson(JSON.parse(plain).record.data, plain)).toBe('{"a":1.1,"b":"x"}');
    const big = '{"type":"RECORD","record":{"stream":"s","data":{"id":12345678901234567891,"b":[1e400]}}}';
    expect(recordDataJson(JSON.parse(big).record.data, big)).toBe('{"id":12345678901234567891,"b":[1e400]}');
  });
});

describe('parseExactJson', () => {
  it('gives integers beyond 2^53 as BigInt, exactly; everything else as JSON.parse does', () => {
    const v = parseExactJson(
      '{"id":12345678901234567891,"neg":-98765432109876543210,"safe":9007199254740991,"f":1.5,"e":1e400,"s":"a\\"b","n":null,"t":true,"a":[1,{"x":[]}],"o":{}}',
    ) as Record<string, unknown>;
    expect(v.id).toBe(12345678901234567891n);
    expect(v.neg).toBe(-98765432109876543210n);
    expect(v.safe).toBe(9007199254740991);
    expect(v.f).toBe(1.5);
    expect(v.e).toBe(Number.POSITIVE_INFINITY);
    expect(v.s).toBe('a"b');
    expect(v).toMatchObject({ n: null, t: true, a: [1, { x: [] }], o: {} });
  });

  it('keeps "__proto__" as an own key, as JSON.parse does', () => {
    const v = parseExactJson('{"__proto__":{"polluted":1}}') as Record<string, unknown>;
    expect(Object.keys(v)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('agrees with JSON.parse on any JSON, with any spacing, its BigInts rounded as JSON.parse rounds (property)', () => {
    const rounded = (v: unknown): unknown =>
      typeof v === 'bigint'
        ? Number(v)
        : Array.isArray(v)
          ? v.map(rounded)
          : v !== null && typeof v === 'object'
            ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, rounded(x)]))
            : v;
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom('', ' ', '\n\t '), (value, pad) => {
        const text = JSON.stringify(value, null, pad.length > 0 ? pad : undefined);
        expect(rounded(parseExactJson(text))).toEqual(JSON.parse(text));
      }),
      { numRuns: 500 },
    );
  });
});

describe('recordDataExact', () => {
  it('is the parsed data itself unless a number lost digits; then BigInts from the line', () => {
    const plain = '{"type":"RECORD","record":{"stream":"s","data":{"a":1}}}';
    const data = JSON.parse(plain).record.data;
    expect(recordDataExact(data, plain)).toBe(data);
    const big = '{"type":"RECORD","record":{"stream":"s","data":{"id":12345678901234567891,"a":[2]}}}';
    expect(recordDataExact(JSON.parse(big).record.data, big)).toEqual({ id: 12345678901234567891n, a: [2] });
  });
});

describe('stringifyExact', () => {
  it('writes BigInts as JSON numbers, digit for digit, anywhere in the value', () => {
    expect(stringifyExact([1, 12345678901234567891n, { a: [-98765432109876543210n] }, 'x'])).toBe(
      '[1,12345678901234567891,{"a":[-98765432109876543210]},"x"]',
    );
    expect(stringifyExact({ s: 'no bigint here' })).toBe('{"s":"no bigint here"}');
  });

  it('round-trips with parseExactJson', () => {
    const text = '{"id":12345678901234567891,"list":[1,-98765432109876543210],"s":"\\u0000bigint:1"}';
    expect(stringifyExact(parseExactJson(text))).toBe(text);
  });
});
