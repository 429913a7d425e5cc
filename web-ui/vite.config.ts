/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The server serves dist/ at / (server/.../system/ConsoleConfiguration): hashed files under /assets/ are cached for a
// year, index.html never. `npm run dev` (and `vite preview`) proxy the API to a server on :8080 or $DIMMER_API.
export default defineConfig({
  plugins: [react()],
  server: { proxy: { '/api': process.env.DIMMER_API ?? 'http://localhost:8080' } },
  preview: { proxy: { '/api': process.env.DIMMER_API ?? 'http://localhost:8080' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    // Route-level code splitting keeps the first load small; recharts only loads with a chart.
    chunkSizeWarningLimit: 600,
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    css: false,
    // A bound for a hung test on a loaded 2-core machine, not a speed requirement.
    testTimeout: 60_000,
  },
});
