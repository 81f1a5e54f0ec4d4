// The web app (public page, depositor portal, staff console) is built into web/dist and served by the
// API server on the same port (src/api/web.ts). In development `vite` proxies /api to a running server.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  server: { proxy: { '/api': 'http://localhost:3000' } },
});
