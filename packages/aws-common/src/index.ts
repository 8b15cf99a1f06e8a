export {
  type AwsAuthInput,
  type CredentialsProvider,
  resolveCredentials,
  type StaticCredentials,
} from './credentials.js';
export { isLoopbackHost, resolveEndpoint } from './endpoint.js';
export { keepAliveHttpHandler } from './http-handler.js';
export { silenceSdkNodeVersionWarning } from './node-version-warning.js';
