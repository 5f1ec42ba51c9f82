// Symmetric eigen-decomposition for the small matrices the metrics meet (m × m, a polytope's Gram matrix).

/** Symmetric eigen-decomposition by cyclic Jacobi (small m): A = Q diag(λ) Qᵀ, Q's columns eigenvectors. */
export function symEig(A: number[][]): { values: number[]; vectors: number[][] } {
  const m = A.length;
  const a = A.map((r) => r.slice());
  const q: number[][] = Array.from({ length: m }, (_, i) => Array.from({ length: m }, (_, j) => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) off += a[i][j] ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < m; p++) for (let r = p + 1; r < m; r++) {
      if (Math.abs(a[p][r]) < 1e-300) continue;
      const theta = (a[r][r] - a[p][p]) / (2 * a[p][r]);
      const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const c = 1 / Math.sqrt(t * t + 1);
      const s = t * c;
      for (let k = 0; k < m; k++) {
        const akp = a[k][p];
        const akr = a[k][r];
        a[k][p] = c * akp - s * akr;
        a[k][r] = s * akp + c * akr;
      }
      for (let k = 0; k < m; k++) {
        const apk = a[p][k];
        const ark = a[r][k];
        a[p][k] = c * apk - s * ark;
        a[r][k] = s * apk + c * ark;
      }
      for (let k = 0; k < m; k++) {
        const qkp = q[k][p];
        const qkr = q[k][r];
        q[k][p] = c * qkp - s * qkr;
        q[k][r] = s * qkp + c * qkr;
      }
    }
  }
  return { values: a.map((r, i) => r[i]), vectors: q };
}
