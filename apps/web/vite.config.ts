import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';
import { precompress } from './precompress';

const API = 'http://localhost:3000';

export default defineConfig({
  plugins: [react(), precompress()],
  // Workspace packages resolve to their TypeScript sources, so the SPA never waits for their builds.
  resolve: { conditions: ['@keysmith/source', ...defaultClientConditions] },
  server: {
    port: 5173,
    strictPort: true,
    // The Origin header stays http://localhost:5173 and the Host header is kept, so the API's
    // same-host Origin check accepts mutations made through the proxy.
    proxy: { '/trpc': API, '/v1': API, '/healthz': API },
  },
  // The manifest names each screen's chunks, so the server can preload the screen a URL opens.
  build: { outDir: 'dist', sourcemap: true, manifest: true },
});
