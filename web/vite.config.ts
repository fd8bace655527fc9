import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';

/**
 * Writes a Brotli (.br) and a gzip (.gz) copy beside every text file of the build, once, at build
 * time; the server sends them to browsers that accept them (a phone on 2G gets a quarter of the bytes).
 */
function precompress(): Plugin {
  let outDir = 'dist';
  return {
    name: 'swasthya-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    // After the service worker is written (vite-plugin-pwa's closeBundle), so it is compressed too.
    closeBundle: { sequential: true, order: 'post', handler() {
      const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true })
        .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
      for (const file of walk(outDir)) {
        if (!/\.(js|css|html|svg|json|txt|webmanifest)$/.test(file)) continue;
        const bytes = fs.readFileSync(file);
        if (bytes.length < 1024) continue;
        fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(bytes, {
          params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
        }));
        fs.writeFileSync(`${file}.gz`, zlib.gzipSync(bytes, { level: 9 }));
      }
    } },
  };
}

// The server serves web/dist at `/`; in development `vite` proxies /api to a local server.
export default defineConfig({
  plugins: [
    react(),
    // The service worker (src/sw.ts, built to /sw.js) precaches every file of the build: each screen
    // is its own chunk (App.tsx), and all of them open offline, not only the ones already visited.
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.ts',
      injectRegister: false, // registered by features/survey/offline.ts
      manifest: false,
      injectManifest: {
        globPatterns: ['**/*.{js,css,html,ico,svg,png,webp,woff,woff2,json,webmanifest}'],
        globIgnores: ['.vite/**', 'sw.js'],
        maximumFileSizeToCacheInBytes: 5 * 1024 * 1024,
      },
    }),
    precompress(),
  ],
  // manifest: .vite/manifest.json, which bench/web-first-screen.ts reads to add up what a screen fetches.
  build: { outDir: 'dist', emptyOutDir: true, manifest: true, chunkSizeWarningLimit: 1024 },
  server: {
    proxy: { '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false } },
  },
});
