import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The server serves web/dist at `/`; in development `vite` proxies /api to a local server.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true },
  server: {
    proxy: { '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false } },
  },
});
