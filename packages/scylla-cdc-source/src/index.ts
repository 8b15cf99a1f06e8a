// @tributary/scylla-cdc-source: the Airbyte source, with the reader and the event builder.
export * from './reader/index.js';
export * from './events/index.js';
export { scyllaCdcConfigSchema, type ScyllaCdcConfig } from './source/config.js';
export { ScyllaCdcSource, scyllaCdcSource, scyllaCdcSpec } from './source/source.js';
export { VERSION } from './version.js';
