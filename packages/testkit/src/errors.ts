/** A tool the harness needs (Java 17+, Maven) is missing or too old; the message says what to install. */
export class ToolchainError extends Error {
  override name = 'ToolchainError';
}

/** A port the server must bind is taken by another process. */
export class PortInUseError extends Error {
  override name = 'PortInUseError';
  constructor(
    readonly port: number,
    detail: string,
  ) {
    super(`port ${port} on 127.0.0.1 is already in use: ${detail}`);
  }
}

/** The server did not become ready: it exited early or the deadline passed. Carries the log tail. */
export class ServerStartError extends Error {
  override name = 'ServerStartError';
  constructor(
    message: string,
    readonly logFile?: string,
    readonly logTail?: string,
  ) {
    super(logTail ? `${message}\n--- last lines of ${logFile} ---\n${logTail}\n--- end of log ---` : message);
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
