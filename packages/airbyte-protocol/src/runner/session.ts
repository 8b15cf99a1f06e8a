import type { Logger } from 'pino';
import { classifyError, errorTraceMessage } from '../errors/index.js';
import { NdjsonWriter } from '../io/ndjson-writer.js';
import { createProtocolLogger, createRedactor } from '../logging/index.js';
import { secretValues } from '../spec/index.js';
import { type ProcessIo, signalExitCode } from './process-io.js';

/**
 * Everything one connector invocation shares: the stdout writer, a logger that prints protocol
 * LOG messages, a redactor that learns the config's secrets, and the abort signal.
 */
export class RunSession {
  readonly output: NdjsonWriter;
  readonly logger: Logger;
  readonly abort = new AbortController();
  private redact: (s: string) => string = (s) => s;
  receivedSignal: NodeJS.Signals | null = null;
  private readonly removeSignalHandlers: () => void;

  constructor(readonly io: ProcessIo) {
    // Records dominate a source's output and are batched; the interval bounds how long a LOG,
    // STATE or TRACE line can sit in the buffer.
    this.output = new NdjsonWriter(io.stdout, {
      flushIntervalMs: 100,
      onError: (err: unknown) => io.stderr.write(`stdout error: ${String(err)}\n`),
    });
    this.logger = createProtocolLogger({
      level: io.env.LOG_LEVEL ?? 'info',
      write: (line: string) => this.output.writeLine(line),
      redact: (s: string) => this.redact(s),
    });
    this.removeSignalHandlers = io.onSignal((signal) => {
      if (this.receivedSignal) {
        // A second signal: the user insists; leave now.
        io.stderr.write(`second ${signal}: exiting without waiting for in-flight work\n`);
        process.exit(signalExitCode(signal));
      }
      this.receivedSignal = signal;
      this.logger.warn(`received ${signal}: stopping input, committing what is in flight`);
      this.abort.abort(signal);
    });
  }

  /** Registers the config's secrets so no log line, error or stack shows them. */
  learnSecrets(schemaOrSpec: Parameters<typeof secretValues>[0], config: unknown): void {
    this.redact = createRedactor(secretValues(schemaOrSpec, config));
  }

  redactText(s: string): string {
    return this.redact(s);
  }

  /** Emits the error as a TRACE ERROR with its failure type and logs it. */
  reportError(err: unknown): void {
    const trace = errorTraceMessage(err, (s: string) => this.redact(s));
    this.logger.error(`${classifyError(err)}: ${trace.trace.error?.message ?? 'error'}`);
    this.output.writeNow(trace);
  }

  async close(): Promise<void> {
    this.removeSignalHandlers();
    await this.output.end().catch(() => undefined);
  }
}
