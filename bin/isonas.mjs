#!/usr/bin/env node
// The `isonas` command: runs the TypeScript CLI (src/cli/index.ts) through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/index.ts');
