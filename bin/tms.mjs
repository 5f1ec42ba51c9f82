#!/usr/bin/env node
// `tms` command: runs src/cli/main.ts through tsx's loader (registered in-process, resolved from this
// package, so it works from any directory). See `tms --help`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
