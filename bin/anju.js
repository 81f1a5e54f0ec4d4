#!/usr/bin/env node
// The `anju` command: loads the TypeScript CLI through tsx (see docs/decisions/0001-run-typescript-with-tsx.md).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
