// The claim harness plugs into training from above: TMS_MUTANT hands the engine a mutant instead of the
// paper's model. Loaded by vitest (setupFiles). (The report's run notes come from defineClaim itself.)
import { useTrainHooks } from '../train.js';
import { mutantFromEnv } from '../mutants.js';

useTrainHooks({ variant: () => mutantFromEnv() });
