/** The process pieces a runner uses; injectable so tests can drive a connector in-process. */
export interface ProcessIo {
  readonly argv: readonly string[];
  readonly stdin: NodeJS.ReadableStream;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
  /** Installs SIGTERM/SIGINT handlers; returns a function removing them. */
  onSignal(handler: (signal: NodeJS.Signals) => void): () => void;
}

export function processIo(): ProcessIo {
  return {
    argv: process.argv.slice(2),
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    onSignal(handler) {
      process.on('SIGTERM', handler);
      process.on('SIGINT', handler);
      return () => {
        process.off('SIGTERM', handler);
        process.off('SIGINT', handler);
      };
    },
  };
}

/** Exit code for an interrupted run, as a shell reports a process killed by that signal. */
export function signalExitCode(signal: NodeJS.Signals | null): number {
  if (signal === 'SIGINT') return 130;
  if (signal === 'SIGTERM') return 143;
  return 1;
}
