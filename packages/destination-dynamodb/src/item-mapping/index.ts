export {
  type AttributeMap,
  type AttributeValue,
  attributeValueSize,
  formatNumber,
  fromAttributeValue,
  itemSize,
  MAX_NUMBER_MAGNITUDE,
  MIN_DYNAMODB_NUMBER,
  MIN_NUMBER_MAGNITUDE,
  numberFromText,
  numberSize,
  significantDigits,
  utf8Length,
} from './attribute-value.js';
export { formatPath, MAX_CONTAINER_DEPTH, ValueConverter } from './convert.js';
export {
  compareCursors,
  CURSOR_ATTRIBUTE,
  type Cursor,
  cursorAttribute,
  cursorOf,
  NO_CURSOR,
} from './cursor.js';
export {
  describeKey,
  ENCODED_KEY_ATTRIBUTE,
  encodedKey,
  type KeyAttribute,
  keyValue,
  type PrimaryKeyPlan,
  primaryKeyPlan,
  RAW_ID_KEY,
  RAW_KEY,
} from './keys.js';
export {
  isRejected,
  ItemMapper,
  type MappedItem,
  type MapperOptions,
  type MapResult,
  MAX_ITEM_BYTES,
  META,
} from './mapper.js';
