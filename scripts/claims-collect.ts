// Prints the claim definitions of the active tier as JSON (scripts/lib/claims-collect.ts runs it per tier).
import { collectHere } from '../src/claims/collect.js';

process.stdout.write(JSON.stringify(await collectHere()));
