import { fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { ConfigError } from '@tributary/airbyte-protocol';

/** Credentials as every AWS connector's config expresses them, whatever its field names. */
export interface AwsAuthInput {
  readonly accessKeyId?: string | undefined;
  readonly secretAccessKey?: string | undefined;
  readonly sessionToken?: string | undefined;
  readonly roleArn?: string | undefined;
  readonly externalId?: string | undefined;
  readonly region?: string | undefined;
}

export interface StaticCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export type CredentialsProvider = () => Promise<StaticCredentials>;

/**
 * Static keys when both are given; otherwise the AWS default chain (environment, shared profile,
 * web identity, container and instance roles). With a role ARN, those credentials assume the role.
 */
export function resolveCredentials(input: AwsAuthInput): StaticCredentials | CredentialsProvider {
  const hasKey = Boolean(input.accessKeyId?.trim());
  const hasSecret = Boolean(input.secretAccessKey?.trim());
  if (hasKey !== hasSecret) {
    throw new ConfigError(
      'give both the access key id and the secret access key, or neither (to use the AWS default credential chain)',
    );
  }
  const base: StaticCredentials | CredentialsProvider = hasKey
    ? {
        accessKeyId: input.accessKeyId!.trim(),
        secretAccessKey: input.secretAccessKey!.trim(),
        ...(input.sessionToken?.trim() ? { sessionToken: input.sessionToken.trim() } : {}),
      }
    : fromNodeProviderChain();
  const roleArn = input.roleArn?.trim();
  if (!roleArn) return base;
  if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/.+/.test(roleArn)) {
    throw new ConfigError(
      `role ARN ${JSON.stringify(roleArn)} is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)`,
    );
  }
  return fromTemporaryCredentials({
    masterCredentials: base,
    params: {
      RoleArn: roleArn,
      RoleSessionName: `tributary-${Date.now()}`,
      ...(input.externalId?.trim() ? { ExternalId: input.externalId.trim() } : {}),
    },
    ...(input.region ? { clientConfig: { region: input.region } } : {}),
  });
}
