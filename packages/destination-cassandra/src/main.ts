#!/usr/bin/env node
import { mainDestination } from '@tributary/airbyte-protocol';
import { cassandraDestination } from './index.js';

await mainDestination(cassandraDestination);
