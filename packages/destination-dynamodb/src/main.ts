#!/usr/bin/env node
import { mainDestination } from '@tributary/airbyte-protocol';
import { silenceSdkNodeVersionWarning } from '@tributary/aws-common';
import { destination } from './destination.js';

silenceSdkNodeVersionWarning();
await mainDestination(destination);
