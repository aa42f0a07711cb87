/**
 * Bundle sizes of a production build, read from the files (no bundler manifest needed): the JS the
 * main thread loads up front (the entry of index.html and its static imports), lazily loaded chunks
 * (dynamic `import()`), worker chunks (`new Worker(new URL(…))`), WASM assets, CSS — raw and gzip -9.
 * Also checks that no TF.js code is in the main thread's JS.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Strings that only TF.js code contains (kernel registry, package names, engine errors). */
const TFJS_MARKERS = ['registerKernel', 'tfjs-core', '@tensorflow/tfjs', 'Tensor is disposed', 'backend-webgl'];

/** Packages a chunk is made of, from its source map (share of the original source text), largest first. */
function packagesOf(file) {
  const mapFile = `${file}.map`;
  if (!existsSync(mapFile)) return basename(file).startsWith('rolldown-runtime') ? [{ name: '(bundler runtime)', share: 1 }] : null;
  try {
    const map = JSON.parse(readFileSync(mapFile, 'utf8'));
    const bySize = new Map();
    (map.sources ?? []).forEach((source, i) => {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
      const name = m ? m[1] : source.includes('vite/') || source.startsWith('\0') ? '(vite runtime)' : '(app)';
      bySize.set(name, (bySize.get(name) ?? 0) + (map.sourcesContent?.[i]?.length ?? 1));
    });
    const total = [...bySize.values()].reduce((a, b) => a + b, 0);
    return [...bySize.entries()].sort((a, b) => b[1] - a[1]).map(([name, n]) => ({ name, share: n / total }));
  } catch {
    return null;
  }
}

function sizes(file) {
  const data = readFileSync(file);
  return { raw: data.length, gzip: gzipSync(data, { level: 9 }).length };
}

/** Relative specifiers in a built JS file, by kind. */
function references(code) {
  const staticImports = new Set();
  const dynamicImports = new Set();
  const workers = new Set();
  const quoted = `["'\`](\\.{1,2}/[^"'\`]+?\\.js)["'\`]`;
  // import{a}from"./x.js" · import"./x.js" · export{a}from"./x.js" · import*as a from"./x.js"
  for (const m of code.matchAll(new RegExp(`(?:^|[;}\\s])(?:import|export)\\s*(?:[\\w$*{}\\s,]*?\\s*from\\s*)?${quoted}`, 'g'))) staticImports.add(m[1]);
  for (const m of code.matchAll(new RegExp(`import\\(\\s*${quoted}\\s*\\)`, 'g'))) dynamicImports.add(m[1]);
  // new Worker(new URL(`x.js`, import.meta.url)) — also the `new URL(new URL(...).href, ...)` form Vite emits.
  for (const m of code.matchAll(/new\s+(?:Shared)?Worker\s*\(\s*new\s+URL\s*\(\s*(?:new\s+URL\s*\(\s*)?["'`]([^"'`]+?\.js)["'`]/g)) workers.add(m[1]);
  return { staticImports, dynamicImports, workers };
}

function walk(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(path));
    else out.push(path);
  }
  return out;
}

export function analyseBundle(distDir) {
  const dist = resolve(distDir);
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const entries = [...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g)].map((m) => resolve(dist, m[1]));
  const preloads = [...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)].map((m) => resolve(dist, m[1]));
  const css = [...html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g)].map((m) => resolve(dist, m[1]));

  const kind = new Map(); // abs path → 'initial' | 'lazy' | 'worker'
  const graph = new Map();
  const refsOf = (file) => {
    if (!graph.has(file)) graph.set(file, existsSync(file) ? references(readFileSync(file, 'utf8')) : null);
    return graph.get(file);
  };
  const visit = (file, as) => {
    const rank = { initial: 0, worker: 1, lazy: 2 };
    const previous = kind.get(file);
    if (previous && rank[previous] <= rank[as]) return;
    kind.set(file, as);
    const refs = refsOf(file);
    if (!refs) return;
    const here = dirname(file);
    for (const s of refs.staticImports) visit(resolve(here, s), as);
    for (const d of refs.dynamicImports) visit(resolve(here, d), as === 'worker' ? 'worker' : 'lazy');
    for (const w of refs.workers) visit(resolve(here, w), 'worker');
  };
  for (const e of [...entries, ...preloads]) visit(e, 'initial');

  const files = walk(dist).filter((f) => !f.endsWith('.map') && !f.includes(`${join(dist, 'models')}`));
  const groups = { initial: [], lazy: [], worker: [], wasm: [], css: [], other: [] };
  for (const file of files) {
    const rel = relative(dist, file);
    const entry = { file: rel, ...sizes(file) };
    if (file.endsWith('.js') && kind.has(file)) {
      entry.kind = kind.get(file);
      const code = readFileSync(file, 'utf8');
      entry.tfjsMarkers = TFJS_MARKERS.filter((m) => code.includes(m));
      entry.packages = packagesOf(file);
      groups[entry.kind].push(entry);
    } else if (file.endsWith('.js') && file.includes(`${join(dist, 'assets')}`)) {
      const code = readFileSync(file, 'utf8');
      entry.kind = 'unreferenced';
      entry.tfjsMarkers = TFJS_MARKERS.filter((m) => code.includes(m));
      groups.other.push(entry);
    } else if (file.endsWith('.wasm')) groups.wasm.push(entry);
    else if (file.endsWith('.css')) groups.css.push(entry);
    else groups.other.push(entry);
  }
  const total = (list) => list.reduce((acc, f) => ({ raw: acc.raw + f.raw, gzip: acc.gzip + f.gzip }), { raw: 0, gzip: 0 });
  const mainThreadTfjs = groups.initial.flatMap((f) => f.tfjsMarkers.map((m) => `${f.file}: ${m}`));
  const lazyTfjs = groups.lazy.flatMap((f) => f.tfjsMarkers.map((m) => `${f.file}: ${m}`));
  const workerHasTfjs = groups.worker.some((f) => f.tfjsMarkers.length > 0);
  // Second opinion from the source maps: no @tensorflow package among the main thread's sources.
  const mainThreadTfjsPackages = groups.initial.flatMap((f) => (f.packages ?? []).filter((p) => p.name.startsWith('@tensorflow/')).map((p) => `${f.file}: ${p.name}`));
  const modelBytes = {};
  const modelsDir = join(dist, 'models');
  if (existsSync(modelsDir)) {
    for (const dir of readdirSync(modelsDir, { withFileTypes: true })) {
      if (!dir.isDirectory()) continue;
      modelBytes[dir.name] = walk(join(modelsDir, dir.name))
        .filter((f) => !basename(f).startsWith('.'))
        .reduce((s, f) => s + statSync(f).size, 0);
    }
  }
  return {
    entries: entries.map((e) => relative(dist, e)),
    markers: TFJS_MARKERS,
    groups,
    totals: Object.fromEntries(Object.entries(groups).map(([k, v]) => [k, total(v)])),
    checks: {
      // The markers must be found in the worker, or they would prove nothing about the main thread.
      markersFoundInWorker: workerHasTfjs,
      mainThreadTfjs,
      mainThreadTfjsPackages,
      lazyTfjs,
    },
    modelBytes,
  };
}
