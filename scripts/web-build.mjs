// Builds web/dist when it is missing or older than its sources (web/src, web/public, index.html, the Vite config).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

function newest(dir) {
  let t = 0;
  if (!fs.existsSync(dir)) return t;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}

export function ensureWebBuilt(root) {
  const web = path.join(root, 'web');
  const index = path.join(web, 'dist', 'index.html');
  const built = fs.existsSync(index) ? fs.statSync(index).mtimeMs : 0;
  const mtime = (f) => (fs.existsSync(f) ? fs.statSync(f).mtimeMs : 0);
  const sources = Math.max(newest(path.join(web, 'src')), newest(path.join(web, 'public')), mtime(path.join(web, 'index.html')), mtime(path.join(web, 'vite.config.ts')));
  if (!fs.existsSync(path.join(web, 'index.html'))) return;
  if (built && built >= sources) return;
  console.log('Building the web UI (vite build)…');
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], { cwd: web, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('web UI build failed');
    process.exit(r.status ?? 1);
  }
}
