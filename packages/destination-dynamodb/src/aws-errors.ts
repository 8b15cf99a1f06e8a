import {
  ConfigError,
  errorMessage,
  isRetryable,
  isTributaryError,
  SystemError,
  TransientError,
  type TributaryError,
} from '@tributary/airbyte-protocol';

function field(err: unknown, key: string): unknown {
  return typeof err === 'object' && err !== null ? (err as Record<string, unknown>)[key] : undefined;
}

export function awsErrorName(err: unknown): string {
  const name = field(err, 'name') ?? field(err, 'code') ?? field(err, '__type');
  return typeof name === 'string' ? name.replace(/^.*#/, '') : '';
}

const CREDENTIAL_ERRORS = new Set([
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'IncompleteSignature',
  'InvalidClientTokenId',
  'ExpiredTokenException',
  'ExpiredToken',
  'MissingAuthenticationToken',
  'SignatureDoesNotMatch',
]);

const NETWORK_HINTS: Record<string, string> = {
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name could not be resolved (DNS)',
  ECONNREFUSED: 'nothing accepts connections there',
  ECONNRESET: 'the connection was reset',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  CERT_HAS_EXPIRED: 'its TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is self-signed',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its TLS certificate cannot be verified',
};

function networkCode(err: unknown): string | undefined {
  for (let cur: unknown = err, i = 0; cur && i < 6; cur = field(cur, 'cause'), i++) {
    const code = field(cur, 'code');
    if (typeof code === 'string' && NETWORK_HINTS[code]) return code;
    const errors = field(cur, 'errors');
    if (Array.isArray(errors))
      for (const e of errors)
        if (NETWORK_HINTS[field(e, 'code') as string]) return field(e, 'code') as string;
  }
  return undefined;
}

export interface AwsErrorContext {
  /** The DynamoDB action, e.g. `CreateTable` (named in permission messages as dynamodb:CreateTable). */
  readonly action: string;
  readonly table?: string;
  /** Where requests go, for network messages. */
  readonly endpoint: string;
}

/**
 * Turns an AWS SDK error into an error that says what to fix: credentials, a missing IAM
 * permission (naming the action), an unreachable endpoint or region; throttling and server errors
 * stay transient, anything else is a system error carrying DynamoDB's own message.
 */
export function explainAwsError(err: unknown, ctx: AwsErrorContext): TributaryError {
  if (isTributaryError(err)) return err;
  const name = awsErrorName(err);
  const message = errorMessage(err);
  const on = ctx.table ? ` on table ${ctx.table}` : '';
  if (CREDENTIAL_ERRORS.has(name)) {
    return new ConfigError(
      `AWS rejected the credentials (${name}: ${message}). Check access_key_id and secret_access_key ` +
        '(and session_token), or the credentials the default chain found (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, role).',
      { cause: err },
    );
  }
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
    return new ConfigError(
      'no AWS credentials found: set access_key_id and secret_access_key, or give the environment credentials ' +
        '(AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, web identity, or an instance/container role)',
      { cause: err },
    );
  }
  if (
    name === 'AccessDeniedException' ||
    name === 'AccessDenied' ||
    /not authorized to perform/i.test(message)
  ) {
    const action = /perform: (dynamodb:[A-Za-z]+)/.exec(message)?.[1] ?? `dynamodb:${ctx.action}`;
    return new ConfigError(
      `missing IAM permission ${action}${on}: grant it to the user or role this destination uses (${message})`,
      { cause: err },
    );
  }
  if (name === 'UnknownEndpoint' || name === 'InvalidEndpoint') {
    return new ConfigError(
      `cannot reach DynamoDB at ${ctx.endpoint}: check dynamodb_endpoint and dynamodb_region`,
      {
        cause: err,
      },
    );
  }
  const code = networkCode(err);
  if (code) {
    const hint = NETWORK_HINTS[code];
    const text = `cannot reach DynamoDB at ${ctx.endpoint} (${code}: ${hint}); check dynamodb_endpoint and dynamodb_region and the network`;
    return code === 'ENOTFOUND' || code.includes('CERT') || code.includes('SIGNATURE')
      ? new ConfigError(text, { cause: err })
      : new TransientError(text, { cause: err });
  }
  if (name === 'ResourceNotFoundException') {
    return new SystemError(`DynamoDB ${ctx.action}${on}: the table does not exist (${message})`, {
      cause: err,
    });
  }
  if (isRetryable(err)) {
    return new TransientError(`DynamoDB ${ctx.action}${on} failed: ${name || 'error'}: ${message}`, {
      cause: err,
    });
  }
  return new SystemError(`DynamoDB ${ctx.action}${on} failed: ${name ? `${name}: ` : ''}${message}`, {
    cause: err,
  });
}
