import { defineReadmeConfigTableSuite } from '../../cql-loader/test/suite/readme.js';
import { scyllaSpec } from '../src/index.js';

defineReadmeConfigTableSuite(new URL('../README.md', import.meta.url), scyllaSpec);
