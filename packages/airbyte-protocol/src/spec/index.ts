export { type BuildSpecOptions, buildSpec } from './build-spec.js';
export { describeExpected } from './describe-expected.js';
export { configJsonSchema, type JsonSchema } from './json-schema.js';
export { secret } from './meta.js';
export { type SecretSource, secretValues } from './secret-values.js';
export { ConfigValidationError, type ValidateConfigOptions, validateConfig } from './validate-config.js';
