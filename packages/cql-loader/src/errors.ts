import {
  ConfigError,
  errorMessage,
  isRetryable as coreIsRetryable,
  isTributaryError,
  SystemError,
  TransientError,
  type TributaryError,
} from '@tributary/airbyte-protocol';
import cassandra from 'cassandra-driver';

const codes = cassandra.types.responseErrorCodes;

/** Server answers that mean "the cluster could not do it right now": worth another attempt. */
const TRANSIENT_RESPONSE_CODES: ReadonlySet<number> = new Set([
  codes.writeTimeout,
  codes.readTimeout,
  codes.unavailableException,
  codes.overloaded,
  codes.isBootstrapping,
  codes.truncateError,
  codes.serverError,
]);

/** Socket-level failures that a TLS handshake or a plain-text peer produce. */
const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|EPROTO$|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_OSSL)/;

type ErrorLike = { name?: unknown; message?: unknown; code?: unknown; innerErrors?: unknown };

function asErrorLike(err: unknown): ErrorLike {
  return typeof err === 'object' && err !== null ? (err as ErrorLike) : {};
}

/** The per-host errors of a NoHostAvailableError, as [host:port, error] pairs. */
export function innerErrorsOf(err: unknown): Array<[string, unknown]> {
  const inner = asErrorLike(err).innerErrors;
  if (typeof inner !== 'object' || inner === null) return [];
  return Object.entries(inner as Record<string, unknown>);
}

function isResponseError(err: unknown): err is cassandra.errors.ResponseError {
  return err instanceof cassandra.errors.ResponseError;
}

/**
 * Whether another attempt of a CQL request may succeed: client timeouts, busy connections, the
 * server's write/read timeouts, unavailable, overloaded and bootstrapping answers, lost
 * connections, and a NoHostAvailableError whose every host failed that way.
 */
export function isRetryableCql(err: unknown): boolean {
  if (isTributaryError(err)) return err.retryable;
  if (err instanceof cassandra.errors.OperationTimedOutError) return true;
  if (err instanceof cassandra.errors.BusyConnectionError) return true;
  if (isResponseError(err)) return TRANSIENT_RESPONSE_CODES.has(err.code);
  if (err instanceof cassandra.errors.AuthenticationError) return false;
  if (err instanceof cassandra.errors.NoHostAvailableError) {
    const inner = innerErrorsOf(err);
    return inner.length > 0 && inner.every(([, e]) => isRetryableCql(e));
  }
  const e = asErrorLike(err);
  if (typeof e.code === 'string' && TLS_CODE.test(e.code)) return false;
  const message = typeof e.message === 'string' ? e.message : '';
  // The driver reports a connection closed under a request with these texts.
  if (/socket was closed|connection.*(closed|reset)|ECONNRESET|EPIPE/i.test(message)) return true;
  return coreIsRetryable(err);
}

/** What the user should do about a failure seen while connecting or writing; null when unknown. */
export function explainConnectionError(err: unknown, ctx: { tls: boolean }): string | null {
  if (err instanceof cassandra.errors.AuthenticationError) return explainAuth(err);
  const dc =
    /localDataCenter was configured as '([^']*)', but only found hosts in data centers: \[([^\]]*)\]/.exec(
      errorMessage(err),
    );
  if (dc)
    return `datacenter "${dc[1]}" is not a data centre of this cluster; set datacenter to one of: ${dc[2]}`;
  if (isResponseError(err)) {
    if (err.code === codes.badCredentials) return explainAuth(err);
    if (err.code === codes.unauthorized) return explainPermission(err);
    return null;
  }
  const inner = innerErrorsOf(err);
  if (inner.length === 0) return explainSocket(err, ctx, undefined);
  const parts: string[] = [];
  for (const [host, e] of inner) {
    if (e instanceof cassandra.errors.AuthenticationError) return explainAuth(e);
    if (isResponseError(e) && e.code === codes.badCredentials) return explainAuth(e);
    parts.push(explainSocket(e, ctx, host) ?? `${host}: ${errorMessage(e)}`);
  }
  return [...new Set(parts)].join('; ');
}

function explainAuth(err: unknown): string {
  const message = errorMessage(err);
  if (
    /requires authentication|no auth ?provider|authenticator/i.test(message) &&
    !/bad credentials/i.test(message)
  ) {
    return `the cluster requires authentication: set username and password (server said: ${message})`;
  }
  return `authentication failed: check username and password (server said: ${message})`;
}

function explainPermission(err: unknown): string {
  const message = errorMessage(err);
  const m = /has no (\w+) permission on (.+?)(?: or any of its parents)?\.?$/i.exec(message);
  if (m) {
    return `missing permission: grant ${m[1]!.toUpperCase()} on ${m[2]} to the configured user (server said: ${message})`;
  }
  return `missing permission: the configured user may not do this (server said: ${message})`;
}

function explainSocket(err: unknown, ctx: { tls: boolean }, hostPort: string | undefined): string | null {
  const e = asErrorLike(err);
  const code = typeof e.code === 'string' ? e.code : '';
  const message = errorMessage(err);
  const where = hostPort ?? hostFromMessage(message) ?? 'the configured address';
  if (code === 'ECONNREFUSED' || /ECONNREFUSED/.test(message)) {
    return `cannot reach ${where}: connection refused; check address and port, and that CQL listens there`;
  }
  if (code === 'ENOTFOUND' || /ENOTFOUND|getaddrinfo/.test(message)) {
    return `cannot resolve the host name of ${where}; check address`;
  }
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return `cannot reach ${where}: no route to host; check address and network access`;
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' || /altnames|Hostname\/IP does not match/i.test(message)) {
    return (
      `TLS: the certificate of ${where} does not name that host; connect by a name the certificate lists, ` +
      `or set tls.verify_hostname to false (server said: ${message})`
    );
  }
  if (
    /self[- ]signed|unable to (verify|get)|certificate (has expired|is not yet valid)|CERT_/i.test(
      `${code} ${message}`,
    )
  ) {
    return (
      `TLS: the certificate of ${where} is not trusted; put the CA certificate (PEM) that signed it ` +
      `in tls.ca_certificate (${message})`
    );
  }
  if (
    ctx.tls &&
    /wrong version number|EPROTO|packet length too long|unknown protocol|ssl3_get_record/i.test(
      `${code} ${message}`,
    )
  ) {
    return `TLS: ${where} does not speak TLS on this port; disable tls or use the cluster's TLS port (${message})`;
  }
  if (ctx.tls && /socket hang up|disconnected before secure TLS connection/i.test(message)) {
    return `TLS: ${where} closed the connection during the TLS handshake; check that client TLS is enabled there (${message})`;
  }
  if (!ctx.tls && /socket was closed|closed|ECONNRESET|timed out|timeout|hang up/i.test(message)) {
    return (
      `cannot talk CQL with ${where}: the connection was closed or got no answer; if the cluster requires ` +
      `TLS (client_encryption_options), enable tls (${message})`
    );
  }
  if (/timed out|timeout|ETIMEDOUT/i.test(`${code} ${message}`)) {
    return `no answer from ${where} in time; check address, port and firewalls (${message})`;
  }
  return null;
}

function hostFromMessage(message: string): string | undefined {
  return /(\d{1,3}(?:\.\d{1,3}){3}:\d+|\[[0-9a-f:]+\]:\d+)/i.exec(message)?.[1];
}

/**
 * Turns a driver error into the project's error classes: bad credentials, missing permissions and
 * invalid requests are config errors (retrying will not help); timeouts and unavailability are
 * transient; the rest system errors. The user-facing message says what to fix.
 */
export function toTributaryError(
  err: unknown,
  what: string,
  ctx: { tls: boolean } = { tls: false },
): TributaryError {
  if (isTributaryError(err)) {
    // Already classified (e.g. retries exhausted): keep the class, add where it happened.
    if (err.message.startsWith(`${what}:`)) return err;
    const options = { cause: err, retryable: err.retryable };
    const message = `${what}: ${err.message}`;
    if (err.failureType === 'config_error') return new ConfigError(message, options);
    if (err.failureType === 'transient_error') return new TransientError(message, options);
    return new SystemError(message, options);
  }
  const explained = explainConnectionError(err, ctx);
  const base = explained ?? errorMessage(err);
  const message = `${what}: ${base}`;
  if (isResponseError(err)) {
    if (err.code === codes.unauthorized || err.code === codes.badCredentials) {
      return new ConfigError(message, { cause: err });
    }
    if (err.code === codes.invalid || err.code === codes.configError || err.code === codes.syntaxError) {
      return new ConfigError(message, { cause: err });
    }
  }
  if (err instanceof cassandra.errors.AuthenticationError || err instanceof cassandra.errors.ArgumentError) {
    return new ConfigError(message, { cause: err });
  }
  if (isRetryableCql(err)) return new TransientError(message, { cause: err });
  const inner = innerErrorsOf(err);
  if (explained !== null && (inner.length > 0 || /TLS|resolve|refused/.test(explained))) {
    return new ConfigError(message, { cause: err });
  }
  return new SystemError(message, { cause: err });
}
