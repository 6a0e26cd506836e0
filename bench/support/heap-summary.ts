// Summarises a V8 heap snapshot (`v8.writeHeapSnapshot`, `--heapsnapshot-signal`): self size by
// constructor, and retained memory by module. CLI: `node bench/support/heap-summary.ts <file> [top]`.
//
// "By module": the dominator tree is computed (Cooper, Harvey & Kennedy's iterative algorithm over
// the strong edges; weak edges are ignored as V8's GC ignores them), every function is labelled
// with the script it was compiled from, every context with the script of a function closing over
// it, and every other object inherits the label of its nearest labelled dominator. A module's row
// is the self size of everything so labelled: what would be freed with that module's functions
// and contexts. Objects reachable from several modules stay under the nearest common dominator
// (often "(unattributed)": the GC roots and global object).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]]; edge_fields: string[]; edge_types: [string[], ...unknown[]] }; node_count: number };
  nodes: number[];
  edges: number[];
  strings: string[];
}

export interface Row {
  name: string;
  count: number;
  bytes: number;
}

export interface HeapSummary {
  totalBytes: number;
  nodeCount: number;
  /** Distinct script URLs with compiled functions in the heap (node: internals counted apart). */
  scripts: { app: number; dependencies: number; nodeInternal: number };
  byConstructor: Row[];
  byModule: Row[];
  byPackage: Row[];
}

/** A short module name: the package under node_modules, or the repo-relative path. */
export function packageOf(url: string, repoRoot: string): string {
  if (!url) return '(unattributed)';
  if (url.startsWith('node:')) return 'node: internals';
  let path = url.startsWith('file://') ? decodeURIComponent(url.slice(7)) : url;
  const nm = path.lastIndexOf('/node_modules/');
  if (nm !== -1) {
    const rest = path.slice(nm + 14).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (path.startsWith(repoRoot)) path = path.slice(repoRoot.length);
  const parts = path.split('/');
  // engine/src/store/x.ts → engine/src/store
  return parts.length > 3 ? parts.slice(0, 3).join('/') : parts.slice(0, -1).join('/') || path;
}

export function summariseHeap(snap: Snapshot, repoRoot: string, top = 25): HeapSummary {
  const meta = snap.snapshot.meta;
  const nf = meta.node_fields.length;
  const ef = meta.edge_fields.length;
  const fType = meta.node_fields.indexOf('type');
  const fName = meta.node_fields.indexOf('name');
  const fSize = meta.node_fields.indexOf('self_size');
  const fEdges = meta.node_fields.indexOf('edge_count');
  const eType = meta.edge_fields.indexOf('type');
  const eName = meta.edge_fields.indexOf('name_or_index');
  const eTo = meta.edge_fields.indexOf('to_node');
  const nodeTypes = meta.node_types[0];
  const edgeTypes = meta.edge_types[0];
  const WEAK = edgeTypes.indexOf('weak');
  const PROPERTY = edgeTypes.indexOf('property');
  const INTERNAL = edgeTypes.indexOf('internal');
  const CONTEXT = edgeTypes.indexOf('context');
  const T_CLOSURE = nodeTypes.indexOf('closure');
  const T_CODE = nodeTypes.indexOf('code');
  const T_OBJECT = nodeTypes.indexOf('object');
  const { nodes, edges, strings } = snap;
  const count = nodes.length / nf;

  const firstEdge = new Uint32Array(count + 1);
  for (let i = 0, e = 0; i < count; i++) {
    firstEdge[i] = e;
    e += nodes[i * nf + fEdges]! * ef;
  }
  firstEdge[count] = edges.length;
  const nameOf = (i: number) => strings[nodes[i * nf + fName]!]!;
  const typeOf = (i: number) => nodes[i * nf + fType]!;
  const edgeName = (e: number) => strings[edges[e + eName]!];

  // Script labels: closure --shared--> SharedFunctionInfo --script--> Script (named by its URL).
  const label = new Int32Array(count).fill(-1); // index into labels
  const labels: string[] = [];
  const labelIds = new Map<string, number>();
  const labelFor = (s: string) => {
    let id = labelIds.get(s);
    if (id === undefined) {
      id = labels.length;
      labels.push(s);
      labelIds.set(s, id);
    }
    return id;
  };
  const child = (i: number, name: string, types: number[]) => {
    for (let e = firstEdge[i]!; e < firstEdge[i + 1]!; e += ef) {
      if (types.includes(edges[e + eType]!) && edgeName(e) === name) return edges[e + eTo]! / nf;
    }
    return -1;
  };
  const scriptName = (sfi: number) => {
    const script = child(sfi, 'script', [INTERNAL, PROPERTY]);
    if (script === -1) return '';
    const n = nameOf(script);
    return n && !n.startsWith('system /') ? n : child(script, 'name', [INTERNAL, PROPERTY]) !== -1 ? nameOf(child(script, 'name', [INTERNAL, PROPERTY])) : '';
  };
  const scriptUrls = new Set<string>();
  for (let i = 0; i < count; i++) {
    const t = typeOf(i);
    if (t === T_CLOSURE) {
      const sfi = child(i, 'shared', [INTERNAL, PROPERTY]);
      const url = sfi === -1 ? '' : scriptName(sfi);
      if (!url) continue;
      scriptUrls.add(url);
      const id = labelFor(packageOf(url, repoRoot));
      label[i] = id;
      label[sfi] = id;
      const ctx = child(i, 'context', [INTERNAL, PROPERTY, CONTEXT]);
      if (ctx !== -1 && label[ctx] === -1) label[ctx] = id;
    } else if (t === T_CODE && nameOf(i).startsWith('system / SharedFunctionInfo')) {
      const url = scriptName(i);
      if (url && label[i] === -1) label[i] = labelFor(packageOf(url, repoRoot));
    }
  }

  // Dominators over strong edges from the root (node 0), in reverse postorder.
  const order = new Int32Array(count).fill(-1); // postorder number
  const post: number[] = [];
  const stackNode: number[] = [0];
  const stackEdge: number[] = [firstEdge[0]!];
  order[0] = -2;
  while (stackNode.length > 0) {
    const top = stackNode.length - 1;
    const i = stackNode[top]!;
    let e = stackEdge[top]!;
    let pushed = false;
    while (e < firstEdge[i + 1]!) {
      const type = edges[e + eType]!;
      const to = edges[e + eTo]! / nf;
      e += ef;
      if (type === WEAK || order[to] !== -1) continue;
      order[to] = -2;
      stackEdge[top] = e;
      stackNode.push(to);
      stackEdge.push(firstEdge[to]!);
      pushed = true;
      break;
    }
    if (!pushed) {
      stackNode.pop();
      stackEdge.pop();
      order[i] = post.length;
      post.push(i);
    }
  }
  // Predecessors (strong edges between reachable nodes), as CSR.
  const predCount = new Uint32Array(count + 1);
  for (let i = 0; i < count; i++) {
    if (order[i]! < 0) continue;
    for (let e = firstEdge[i]!; e < firstEdge[i + 1]!; e += ef) {
      const to = edges[e + eTo]! / nf;
      if (edges[e + eType] !== WEAK && order[to]! >= 0) predCount[to + 1]!++;
    }
  }
  for (let i = 0; i < count; i++) predCount[i + 1]! += predCount[i]!;
  const preds = new Uint32Array(predCount[count]!);
  const fill = predCount.slice(0, count);
  for (let i = 0; i < count; i++) {
    if (order[i]! < 0) continue;
    for (let e = firstEdge[i]!; e < firstEdge[i + 1]!; e += ef) {
      const to = edges[e + eTo]! / nf;
      if (edges[e + eType] !== WEAK && order[to]! >= 0) preds[fill[to]!++] = i;
    }
  }
  const idom = new Int32Array(count).fill(-1);
  idom[0] = 0;
  const intersect = (a: number, b: number) => {
    while (a !== b) {
      while (order[a]! < order[b]!) a = idom[a]!;
      while (order[b]! < order[a]!) b = idom[b]!;
    }
    return a;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (let k = post.length - 1; k >= 0; k--) {
      const i = post[k]!;
      if (i === 0) continue;
      let d = -1;
      for (let p = predCount[i]!; p < predCount[i + 1]!; p++) {
        const q = preds[p]!;
        if (idom[q] === -1) continue;
        d = d === -1 ? q : intersect(q, d);
      }
      if (d !== -1 && idom[i] !== d) {
        idom[i] = d;
        changed = true;
      }
    }
  }
  // Labels flow down the dominator tree (reverse postorder visits a dominator before its nodes).
  const unattributed = labelFor('(unattributed)');
  for (let k = post.length - 1; k >= 0; k--) {
    const i = post[k]!;
    if (label[i] === -1) label[i] = i === 0 ? unattributed : label[idom[i]!]!;
  }

  const byCtor = new Map<string, Row>();
  const byLabel = new Map<number, Row>();
  let total = 0;
  for (let i = 0; i < count; i++) {
    const size = nodes[i * nf + fSize]!;
    total += size;
    const t = typeOf(i);
    const ctor = t === T_OBJECT || t === T_CLOSURE ? nameOf(i) || '(anonymous)' : `(${nodeTypes[t]})`;
    const c = byCtor.get(ctor) ?? { name: ctor, count: 0, bytes: 0 };
    c.count++;
    c.bytes += size;
    byCtor.set(ctor, c);
    const l = order[i]! >= 0 ? label[i]! : unattributed;
    const m = byLabel.get(l) ?? { name: labels[l]!, count: 0, bytes: 0 };
    m.count++;
    m.bytes += size;
    byLabel.set(l, m);
  }
  const byModule = [...byLabel.values()].sort((a, b) => b.bytes - a.bytes);
  const pkgs = new Map<string, Row>();
  for (const r of byModule) {
    const key = r.name.includes('/src') ? r.name.split('/')[0]! + ' (workspace)' : r.name;
    const p = pkgs.get(key) ?? { name: key, count: 0, bytes: 0 };
    p.count += r.count;
    p.bytes += r.bytes;
    pkgs.set(key, p);
  }
  let app = 0;
  let deps = 0;
  let internal = 0;
  for (const u of scriptUrls) {
    if (u.startsWith('node:')) internal++;
    else if (u.includes('/node_modules/')) deps++;
    else app++;
  }
  return {
    totalBytes: total,
    nodeCount: count,
    scripts: { app, dependencies: deps, nodeInternal: internal },
    byConstructor: [...byCtor.values()].sort((a, b) => b.bytes - a.bytes).slice(0, top),
    byModule: byModule.slice(0, top),
    byPackage: [...pkgs.values()].sort((a, b) => b.bytes - a.bytes).slice(0, top),
  };
}

export function readSnapshot(file: string): Snapshot {
  return JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
}

const mb = (b: number) => (b / 1048576).toFixed(2);
export function formatHeapSummary(s: HeapSummary): string {
  const rows = (title: string, list: Row[]) => [`${title}`, ...list.map((r) => `  ${mb(r.bytes).padStart(8)} MB  ${String(r.count).padStart(8)}  ${r.name}`)].join('\n');
  return [
    `heap snapshot: ${mb(s.totalBytes)} MB in ${s.nodeCount} objects; scripts with live functions: ${s.scripts.app} app, ${s.scripts.dependencies} dependencies, ${s.scripts.nodeInternal} node: internals`,
    rows('by constructor (self size, count):', s.byConstructor),
    rows('by retaining module (dominated self size, objects):', s.byModule),
    rows('by package:', s.byPackage),
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: node bench/support/heap-summary.ts <file.heapsnapshot> [top]\n');
    process.exit(2);
  }
  const root = fileURLToPath(new URL('../../', import.meta.url));
  process.stdout.write(formatHeapSummary(summariseHeap(readSnapshot(file), root, Number(process.argv[3] ?? 25))) + '\n');
}
