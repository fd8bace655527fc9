// Compiles the TypeScript of the server, the web unit tests and the browser tests once into plain
// JavaScript under node_modules/.cache/swasthya-tests/<tree>/, the same folders, so that `npm test`
// runs each test file (and each browser test's server) with plain Node: loading the server through
// tsx's hooks cost every test process about 3.5 s of CPU, and there are a few hundred of them.
//
// Each file is transpiled on its own (esbuild, no bundling: one module per file as under tsx).
// `import.meta.url` becomes the URL of the original .ts file, so paths worked out from it (fixtures,
// data files, ../shared, the built web) are those of the source tree. Relative imports of .ts/.tsx
// files point at their compiled .js; other relative imports (JSON) at the original file.
import { transform } from 'esbuild';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const TS = /\.(ts|tsx|mts)$/;

function walk(dir, out) {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'dist' || e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (TS.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const specifier = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]+)\2/g;

function rewrite(code, file) {
  const dir = path.dirname(file);
  return code
    .replace(/\bimport\.meta\.url\b/g, JSON.stringify(pathToFileURL(file).href))
    .replace(specifier, (all, lead, quote, spec, at, whole) => {
      if (/\.(ts|tsx|mts)$/.test(spec)) return `${lead}${quote}${spec.replace(/\.(ts|tsx|mts)$/, '.js')}${quote}`;
      if (/\.(js|mjs)$/.test(spec)) return all;
      // Without an extension (as Vite resolves it): the .ts/.tsx file or folder index it names.
      for (const [ext, as] of [['.ts', '.js'], ['.tsx', '.js'], ['/index.ts', '/index.js'], ['/index.tsx', '/index.js']]) {
        if (fs.existsSync(path.resolve(dir, spec + ext))) return `${lead}${quote}${spec}${as}${quote}`;
      }
      // JSON as Vite and tsx read it; plain Node wants the import attribute.
      const json = spec.endsWith('.json') && /from\s*$/.test(lead) && !/^\s*(with|assert)\b/.test(whole.slice(at + all.length));
      return `${lead}${quote}${pathToFileURL(path.resolve(dir, spec)).href}${quote}${json ? " with { type: 'json' }" : ''}`;
    });
}

/** Compiles `dirs` (relative to root) and returns the folder holding the compiled tree. */
export async function compileTests(root, dirs = ['server/src', 'web/src', 'web/e2e']) {
  const files = dirs.flatMap((d) => walk(path.join(root, d), [])).sort();
  const hash = createHash('sha256');
  for (const f of files) hash.update(f).update(fs.readFileSync(f));
  hash.update(fs.readFileSync(new URL(import.meta.url)));
  const key = hash.digest('hex').slice(0, 16);
  const cache = path.join(root, 'node_modules', '.cache', 'swasthya-tests');
  const out = path.join(cache, key);
  if (fs.existsSync(path.join(out, '.done'))) return out;
  const part = `${out}.${process.pid}.part`;
  fs.rmSync(part, { recursive: true, force: true });
  for (let i = 0; i < files.length; i += 64) {
    await Promise.all(files.slice(i, i + 64).map(async (f) => {
      const rel = path.relative(root, f);
      const src = fs.readFileSync(f, 'utf8');
      const r = await transform(rewrite(src, f), {
        loader: f.endsWith('x') ? 'tsx' : 'ts', format: 'esm', target: 'node20.19', jsx: 'automatic',
        sourcefile: rel, sourcemap: 'inline', sourcesContent: false,
      });
      const dest = path.join(part, rel.replace(TS, '.js'));
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      fs.writeFileSync(dest, r.code);
    }));
  }
  // Packages a workspace keeps to itself (server/node_modules) are found from the compiled tree too.
  for (const ws of ['server', 'web']) {
    const nm = path.join(root, ws, 'node_modules');
    if (fs.existsSync(nm) && fs.existsSync(path.join(part, ws))) fs.symlinkSync(nm, path.join(part, ws, 'node_modules'), 'dir');
  }
  fs.writeFileSync(path.join(part, '.done'), '');
  fs.rmSync(out, { recursive: true, force: true });
  fs.renameSync(part, out);
  // Trees of older code go once nothing can still be running from them (a run started from one
  // keeps loading files from it).
  for (const old of fs.readdirSync(cache)) {
    const p = path.join(cache, old);
    try {
      if (old !== key && Date.now() - fs.statSync(p).mtimeMs > 12 * 3_600_000) fs.rmSync(p, { recursive: true, force: true });
    } catch { /* gone meanwhile */ }
  }
  return out;
}
