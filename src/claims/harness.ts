// The claim harness plugs into training from above: the report notes every run a spec trains, and
// TMS_MUTANT hands the engine a mutant instead of the paper's model. Loaded by vitest (setupFiles).
import { useTrainHooks } from '../train.js';
import { mutantFromEnv } from '../mutants.js';
import { noteRun } from './record.js';

useTrainHooks({ onRun: noteRun, variant: () => mutantFromEnv() });
