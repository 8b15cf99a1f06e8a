import type { KinesisClient, PutRecordsCommandInput } from '@aws-sdk/client-kinesis';
import type { keepAliveHttpHandler } from '@tributary/aws-common';

type NodeHttpHandler = ReturnType<typeof keepAliveHttpHandler>;

/**
 * Abort signals of the PutRecords calls on lean clients: registered by the caller under the call's
 * Records array, carried over to the request body by the codec, read by the HTTP handler. (A client
 * that caches its middleware, as lean clients do, takes no per-call options such as abortSignal.)
 */
const signalsByRecords = new WeakMap<object, AbortSignal>();
const signalsByBody = new WeakMap<object, AbortSignal>();
const leanClients = new WeakSet<object>();

/** Whether the client has the lean codec (calls pass their abort signal with `abortPutRecordsWith`). */
export function isLeanClient(client: KinesisClient): boolean {
  return leanClients.has(client);
}

/** The abort signal of the PutRecords call whose input has these Records (an array of its own). */
export function abortPutRecordsWith(records: object, signal: AbortSignal): void {
  signalsByRecords.set(records, signal);
}

/**
 * The HTTP handler of a lean client: each request is aborted by its call's signal (found by its
 * body), like the signal the SDK passes when given `{ abortSignal }`.
 */
export function leanHttpHandler(handler: NodeHttpHandler): NodeHttpHandler {
  const handle = handler.handle.bind(handler);
  handler.handle = (request, options = {}) => {
    const signal = signalsByBody.get(request.body as object);
    return handle(request, signal === undefined ? options : { ...options, abortSignal: signal });
  };
  return handler;
}

/**
 * A lean codec for PutRecords, installed on the client that only sends PutRecords.
 *
 * The SDK serialises each entry through its generic schema walker and base64-encodes the data in
 * JavaScript, then parses the answer the same way: a fifth of the connector's CPU per record. This
 * writes the request body directly (data base64-encoded natively) and reads the answer with
 * JSON.parse; everything else — endpoint, headers, SigV4 signing, the HTTP handler — stays the SDK's.
 * The body is handed over as bytes: as a string, the SDK would encode it to UTF-8 three times (for
 * the content length, for the payload hash of the signature, and on the socket).
 * Error answers become errors named by the service's error type, with the HTTP status, as the
 * SDK's own would be for classification.
 */
export function installPutRecordsCodec(client: KinesisClient): void {
  leanClients.add(client);
  const collect = (client.config as unknown as { streamCollector(body: unknown): Promise<Uint8Array> })
    .streamCollector;
  const stack = client.middlewareStack as unknown as {
    add(middleware: unknown, options: Record<string, unknown>): void;
  };
  stack.add(
    (next: (args: unknown) => Promise<unknown>, context: { endpointV2?: { url: URL } }) =>
      async (args: { input: PutRecordsCommandInput }) => {
        const url = context.endpointV2?.url;
        if (url === undefined) throw new Error('internal: PutRecords codec without a resolved endpoint');
        const request = {
          method: 'POST',
          protocol: url.protocol,
          hostname: url.hostname,
          ...(url.port ? { port: Number(url.port) } : {}),
          path: url.pathname || '/',
          query: {},
          headers: {
            'content-type': 'application/x-amz-json-1.1',
            'x-amz-target': 'Kinesis_20131202.PutRecords',
          },
          body: encodePutRecords(args.input),
        };
        const records = args.input.Records;
        const signal = records === undefined ? undefined : signalsByRecords.get(records);
        if (signal !== undefined) signalsByBody.set(request.body, signal);
        return next({ ...args, request });
      },
    { name: 'serializerMiddleware', step: 'serialize', tags: ['SERIALIZER'], override: true },
  );
  stack.add(
    (next: (args: unknown) => Promise<{ response: HttpResponseLike }>) =>
      async (args: { input: PutRecordsCommandInput }) => {
        const { response } = await next(args);
        const bytes = await collect(response.body);
        const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
        const status = response.statusCode;
        if (status < 200 || status >= 300) throw errorFromAnswer(status, response.headers, text);
        const $metadata = { httpStatusCode: status, requestId: response.headers['x-amzn-requestid'] };
        const failed = FAILED_COUNT.exec(text);
        if (failed !== null && failed[1] === '0') {
          // Everything accepted (the usual answer): no need to build 500 result objects.
          const n = args.input.Records?.length ?? 0;
          return {
            response,
            output: { $metadata, FailedRecordCount: 0, Records: new Array(n).fill(ACCEPTED) },
          };
        }
        const parsed = JSON.parse(text) as Record<string, unknown>;
        return {
          response,
          output: {
            $metadata,
            FailedRecordCount: parsed.FailedRecordCount,
            Records: parsed.Records,
            EncryptionType: parsed.EncryptionType,
          },
        };
      },
    { name: 'deserializerMiddleware', step: 'deserialize', tags: ['DESERIALIZER'], override: true },
  );
}

const FAILED_COUNT = /"FailedRecordCount"\s*:\s*(\d+)/;
const ACCEPTED = Object.freeze({});

interface HttpResponseLike {
  statusCode: number;
  headers: Record<string, string | undefined>;
  body: unknown;
}

/**
 * The PutRecords JSON body, as the AWS JSON 1.1 protocol writes it, in UTF-8: written into one
 * buffer, three writes per entry (its opening, the base64 of its data, its keys and closing), with
 * no body string to build and encode again.
 */
export function encodePutRecords(input: PutRecordsCommandInput): Buffer {
  const records = input.Records ?? [];
  const n = records.length;
  const head = `{"StreamName":${JSON.stringify(input.StreamName)},"Records":[`;
  // What follows an entry's data: `","PartitionKey":"…"}` (and its explicit hash key).
  const tails = new Array<string>(n);
  // An upper bound of the size: a UTF-16 code unit takes at most 3 bytes of UTF-8.
  let size = head.length * 3 + 2;
  for (let i = 0; i < n; i++) {
    const r = records[i]!;
    const tail =
      r.ExplicitHashKey === undefined
        ? `","PartitionKey":${JSON.stringify(r.PartitionKey)}}`
        : `","PartitionKey":${JSON.stringify(r.PartitionKey)},"ExplicitHashKey":${JSON.stringify(r.ExplicitHashKey)}}`;
    tails[i] = tail;
    size += OPENING.length + Math.ceil(r.Data!.byteLength / 3) * 4 + tail.length * 3;
  }
  const out = Buffer.allocUnsafe(size);
  let at = out.write(head, 0, 'utf8');
  for (let i = 0; i < n; i++) {
    const data = records[i]!.Data!;
    const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    at += out.write(i === 0 ? FIRST_OPENING : OPENING, at, 'latin1');
    // base64 is ASCII: latin1 copies it byte for byte.
    at += out.write(bytes.toString('base64'), at, 'latin1');
    at += out.write(tails[i]!, at, 'utf8');
  }
  at += out.write(']}', at, 'latin1');
  return out.subarray(0, at);
}

const FIRST_OPENING = '{"Data":"';
const OPENING = ',{"Data":"';

/** An error answer as the SDK names it: `__type` (after any `#`) or the x-amzn-errortype header. */
export function errorFromAnswer(
  status: number,
  headers: Record<string, string | undefined>,
  text: string,
): Error {
  let name: string | undefined;
  let message: string | undefined;
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    if (typeof body.__type === 'string') name = body.__type;
    const m = body.message ?? body.Message;
    if (typeof m === 'string') message = m;
  } catch {
    // not JSON (a proxy's error page, a truncated answer)
  }
  name ??= headers['x-amzn-errortype'];
  name = name?.split('#').pop()?.split(':')[0]?.trim() || `HttpStatus${status}`;
  const err = new Error(message ?? (text.slice(0, 200) || `HTTP ${status}`)) as Error &
    Record<string, unknown>;
  err.name = name;
  err.$fault = status >= 500 ? 'server' : 'client';
  err.$metadata = { httpStatusCode: status, requestId: headers['x-amzn-requestid'] };
  return err;
}
