// Every bad input of tests/helpers/bad-inputs.ts gives a ConfigError that names the field (or environment
// variable), shows the value and states the allowed range; good inputs pass.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ConfigError, validateRun } from '../src/validate.js';
import { BAD_INPUTS, errorOf, goodConfig } from './helpers/bad-inputs.js';
import { engineFromEnv } from '../src/engines/select.js';
import { tier } from '../src/tier.js';
import { seedList, seedOffset } from '../src/claims/seeds.js';
import { activeMutant } from '../src/mutants.js';

describe('validateRun rejects bad configs with messages naming field, value and range', () => {
  for (const c of BAD_INPUTS) {
    it(`${c.group}: ${c.input}`, () => {
      const e = errorOf(c);
      expect(e, 'no error thrown').toBeInstanceOf(ConfigError);
      expect(e!.message).toContain(c.shows);
      expect(e!.message).toContain(c.allowed);
      // The fact and the rule belong together in one line.
      expect(e!.message.split('\n').some((l) => l.includes(c.shows) && l.includes(c.allowed)), e!.message).toBe(true);
    });
  }

  it('the good config, and the same with valid edge values, pass', () => {
    expect(() => validateRun(goodConfig())).not.toThrow();
    const c = goodConfig();
    c.train = { ...c.train, lr: 1, weightDecay: 0, beta1: 0, eps: 1 };
    c.instances[0].sparsity = [0, 0.999, 0, 0.5, 0.5];
    c.instances[0].importance = [0, 0, 0, 0, 1e300];
    c.data = { kind: 'anticorrelated', sets: [[0, 1]] }; // Σp = 1 exactly: allowed
    c.instances[0].sparsity = [0.5, 0.5, 0, 0, 0];
    expect(() => validateRun(c)).not.toThrow();
  });

  it('several problems are all listed, one per line', () => {
    const c: any = goodConfig();
    c.model.n = 0;
    c.train.lr = NaN;
    c.train.batch = -1;
    const msg = (() => {
      try {
        validateRun(c);
        return '';
      } catch (e) {
        return (e as Error).message;
      }
    })();
    expect(msg).toMatch(/model\.n = 0/);
    expect(msg).toMatch(/train\.lr = NaN/);
    expect(msg).toMatch(/train\.batch = -1/);
    expect(msg.split('\n')).toHaveLength(3);
  });

  it('property: any non-integer or out-of-range model.n / train.steps is rejected naming the field', () => {
    const bad = fc.oneof(fc.double({ noInteger: true }), fc.integer({ max: 0 }), fc.constantFrom(NaN, Infinity, -Infinity, 1e12));
    fc.assert(fc.property(bad, fc.constantFrom('n', 'steps'), (v, f) => {
      const c: any = goodConfig();
      if (f === 'n') c.model.n = v;
      else c.train.steps = v;
      try {
        validateRun(c);
        return false;
      } catch (e) {
        return e instanceof ConfigError && e.message.includes(f === 'n' ? 'model.n = ' : 'train.steps = ');
      }
    }));
  });

  it('property: sparsity outside [0, 1) is rejected, inside accepted', () => {
    fc.assert(fc.property(fc.double(), (s) => {
      const c = goodConfig();
      c.instances[0].sparsity = s;
      const ok = s >= 0 && s < 1;
      try {
        validateRun(c);
        return ok;
      } catch (e) {
        return !ok && e instanceof ConfigError && e.message.includes('instances[0].sparsity = ');
      }
    }));
  });
});

describe('environment variables', () => {
  const env = (vars: Record<string, string | undefined>, f: () => unknown) => {
    const old = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
    for (const [k, v] of Object.entries(vars)) v === undefined ? delete process.env[k] : (process.env[k] = v);
    try {
      return f();
    } finally {
      for (const [k, v] of Object.entries(old)) v === undefined ? delete process.env[k] : (process.env[k] = v);
    }
  };

  it('unset or empty means the default; valid values are read, surrounding spaces ignored', () => {
    expect(env({ TMS_ENGINE: undefined }, engineFromEnv)).toBe('native-f32');
    expect(env({ TMS_ENGINE: '' }, engineFromEnv)).toBe('native-f32');
    expect(env({ TMS_ENGINE: ' tfjs ' }, engineFromEnv)).toBe('tfjs');
    expect(env({ TMS_TIER: undefined }, tier)).toBe('default');
    expect(env({ TMS_TIER: 'paper' }, tier)).toBe('paper');
    expect(env({ TMS_MUTANT: '' }, activeMutant)).toBeUndefined();
    expect(env({ TMS_MUTANT: 'sgd' }, activeMutant)).toBe('sgd');
    expect(env({ TMS_SEED_OFFSET: undefined }, seedOffset)).toBe(0);
    expect(env({ TMS_SEED_OFFSET: '3000' }, () => seedList([1, 2, 3]))).toEqual([3001, 3002, 3003]);
    expect(env({ TMS_SEED_OFFSET: undefined }, () => seedList([1, 2, 3]))).toEqual([1, 2, 3]);
  });
});
