// Prints the claim definitions of the active tier as JSON (src/claims/collect.ts runs it per tier).
//   tsx scripts/claims-collect.ts [specDir]
import { collectHere } from '../src/claims/collect.js';

process.stdout.write(JSON.stringify(await collectHere(process.argv[2])));
