// Fails when the product code's imports form a circle, reach past a public contract (BOUNDARIES), or
// run both ways between sibling folders (code both need belongs a level up, where both import it).
// Type-only imports count: a circle of types is still a knot to untie before moving a file.
// Run by `npm run lint`; `tsx scripts/check-import-graph.ts` prints the same.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..');

/** Product folders: what ships or runs, not the tests. */
const PRODUCT_DIRS = [
  'protocol',
  'influx',
  'metrics',
  'durable-files',
  'backoff',
  'broker',
  'firmware-bridge',
  'emulators',
  'ingest',
  'notify',
  'api',
  'dashboard',
  'cli',
  'bench',
];

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every relative module a file names: static imports and re-exports (types too), and `import('…')`. */
function specifiers(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier !== undefined &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      found.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] !== undefined &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      found.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found.filter((specifier) => specifier.startsWith('.'));
}

function resolveImport(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  const candidates = [base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')];
  return candidates.find((candidate) => existsSync(candidate));
}

type Graph = Map<string, Set<string>>;

/**
 * Folders that may see another only through its public files: the device emulators use the gateway's
 * public surface and each driver's `contract.ts`, never a driver's internals.
 */
const BOUNDARIES = [
  {
    from: 'emulators/',
    into: 'firmware-bridge/',
    allowed: [/^firmware-bridge\/index\.ts$/, /^firmware-bridge\/drivers\/[^/]+\/contract\.ts$/],
  },
];

function buildGraph(files: readonly string[]): Graph {
  const known = new Set(files);
  const graph: Graph = new Map();
  for (const file of files) {
    const targets = specifiers(file)
      .map((specifier) => resolveImport(file, specifier))
      .filter((target): target is string => target !== undefined && known.has(target));
    graph.set(file, new Set(targets));
  }
  return graph;
}

/** Tarjan's strongly connected components with more than one file (or a file importing itself). */
function circles(graph: Graph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next);
    next += 1;
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node) as number, low.get(target) as number));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node) as number, index.get(target) as number));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop() as string;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || graph.get(node)?.has(node)) found.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

/** Pairs of folders with one parent where each imports the other: neither sits below the other. */
function mutualSiblings(graph: Graph): [string, string][] {
  const edges = new Set<string>();
  for (const [from, targets] of graph) {
    for (const target of targets) {
      const a = relative(ROOT, dirname(from)).split(sep);
      const b = relative(ROOT, dirname(target)).split(sep);
      let shared = 0;
      while (shared < a.length && shared < b.length && a[shared] === b[shared]) shared += 1;
      if (shared === a.length || shared === b.length) continue;
      edges.add(`${[...a.slice(0, shared + 1)].join('/')}>${[...b.slice(0, shared + 1)].join('/')}`);
    }
  }
  const pairs: [string, string][] = [];
  for (const edge of edges) {
    const [a, b] = edge.split('>') as [string, string];
    if (a < b && edges.has(`${b}>${a}`)) pairs.push([a, b]);
  }
  return pairs.sort();
}

/** Imports that cross a boundary other than through its public files. */
function boundaryBreaches(graph: Graph): string[] {
  const breaches: string[] = [];
  for (const [from, targets] of graph) {
    for (const target of targets) {
      const [source, destination] = [relative(ROOT, from), relative(ROOT, target)];
      for (const { from: inside, into, allowed } of BOUNDARIES) {
        if (!source.startsWith(inside) || !destination.startsWith(into)) continue;
        if (!allowed.some((pattern) => pattern.test(destination)))
          breaches.push(`${source} -> ${destination}`);
      }
    }
  }
  return breaches.sort();
}

const files = PRODUCT_DIRS.flatMap((dir) => sourceFiles(join(ROOT, dir)));
const graph = buildGraph(files);
const found = circles(graph);
const siblings = mutualSiblings(graph);
const breaches = boundaryBreaches(graph);
const show = (file: string) => relative(ROOT, file);

for (const [a, b] of siblings) console.log(`sibling folders import each other: ${a} <-> ${b}`);
for (const breach of breaches) console.log(`import past a public contract: ${breach}`);
for (const component of found) console.log(`import circle: ${component.map(show).join(', ')}`);
console.log(
  `import graph: ${files.length} files, ${found.length} circles, ${breaches.length} imports past a public contract, ${siblings.length} pairs of sibling folders importing each other`,
);
if (found.length > 0 || breaches.length > 0 || siblings.length > 0) process.exit(1);
