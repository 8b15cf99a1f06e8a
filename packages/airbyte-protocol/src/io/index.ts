export { type LineReaderHandle, type LineReadStats, readLines } from './line-reader.js';
export { type LineHandler, LineSplitter } from './line-splitter.js';
export {
  MALFORMED_PREVIEW_CHARS,
  type NdjsonReaderHandle,
  type NdjsonReaderHandlers,
  type NdjsonReadStats,
  previewLine,
  startNdjsonReader,
} from './ndjson-reader.js';
export { NdjsonWriter, type NdjsonWriterOptions } from './ndjson-writer.js';
