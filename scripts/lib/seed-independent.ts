// Runs that are meant to be the same under every TMS_SEED_OFFSET (a fixed reference that involves no seed),
// by namespace, each with the reason: the flake check lists them instead of refusing their spec. Keep it empty
// unless a run truly draws nothing at random; every claim run today is seeded, so none is declared.
export const SEED_INDEPENDENT: Readonly<Record<string, string>> = {};
