// The paper's "best of N": from each consecutive group of k models, the one with the lowest loss. Specs
// count each group's winner like one seed (C2.4, C5.3, C5.4).

export function bestOfGroups<T>(models: readonly T[], k: number, loss: (t: T) => number): T[] {
  const losses = models.map(loss);
  return Array.from({ length: Math.floor(models.length / k) }, (_, g) => {
    let best = g * k;
    for (let j = best + 1; j < (g + 1) * k; j++) if (losses[j] < losses[best]) best = j;
    return models[best];
  });
}
