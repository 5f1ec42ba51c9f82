// Claim 4's feature geometry graph: each group of interfering features drawn as a polygon of nodes
// with edges weighted by interference, groups laid out on a grid (deterministic, no force layout).
import type { TopLevelSpec } from 'vega-lite';

export interface GraphPanel {
  label: string;
  /** groups of feature ids with their polytope name */
  groups: { members: number[]; kind: string }[];
  /** interference weights cos²(W_i, W_j) for pairs within groups */
  edges: { i: number; j: number; w: number }[];
}

const COLS = 8;
const KIND_COLOURS: Record<string, string> = {
  dedicated: '#999999', digon: '#4c78a8', triangle: '#f58518', tetrahedron: '#54a24b',
  pentagon: '#e45756', 'square-antiprism': '#b279a2', other: '#000000',
};

export function geometryGraph(panels: GraphPanel[], title: string): TopLevelSpec {
  return {
    title: { text: title, fontSize: 14 },
    spacing: 14,
    hconcat: panels.map((p) => {
      const pos = new Map<number, [number, number]>();
      const nodes: { x: number; y: number; kind: string }[] = [];
      // Larger groups first so the interesting polytopes lead the grid.
      [...p.groups].sort((a, b) => b.members.length - a.members.length).forEach((g, k) => {
        const cx = (k % COLS) * 3;
        const cy = -Math.floor(k / COLS) * 3;
        g.members.forEach((f, t) => {
          const a = (2 * Math.PI * t) / g.members.length + Math.PI / 2;
          const r = g.members.length > 1 ? 1 : 0;
          const xy: [number, number] = [cx + r * Math.cos(a), cy + r * Math.sin(a)];
          pos.set(f, xy);
          nodes.push({ x: xy[0], y: xy[1], kind: g.kind });
        });
      });
      const edges = p.edges.filter((e) => pos.has(e.i) && pos.has(e.j)).map((e) => {
        const [x, y] = pos.get(e.i)!;
        const [x2, y2] = pos.get(e.j)!;
        return { x, y, x2, y2, w: e.w };
      });
      const rows = Math.max(1, Math.ceil(p.groups.length / COLS));
      const xs = { type: 'quantitative', scale: { domain: [-1.5, COLS * 3 - 1.5] }, axis: null };
      const ys = { type: 'quantitative', scale: { domain: [-(rows - 1) * 3 - 1.5, 1.5] }, axis: null };
      return {
        title: { text: p.label, fontSize: 12 },
        width: 320,
        height: Math.max(60, rows * 40),
        layer: [
          { data: { values: edges }, mark: { type: 'rule', color: '#555555' }, encoding: { x: { field: 'x', ...xs }, y: { field: 'y', ...ys }, x2: { field: 'x2' }, y2: { field: 'y2' }, strokeWidth: { field: 'w', type: 'quantitative', scale: { domain: [0, 1], range: [0.2, 2.5] }, legend: null } } },
          { data: { values: nodes }, mark: { type: 'circle', size: 30, opacity: 1 }, encoding: { x: { field: 'x', ...xs }, y: { field: 'y', ...ys }, color: { field: 'kind', type: 'nominal', scale: { domain: Object.keys(KIND_COLOURS), range: Object.values(KIND_COLOURS) }, legend: { title: 'polytope' } } } },
        ],
      };
    }),
  } as TopLevelSpec;
}
