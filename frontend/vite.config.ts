import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// The Go server serves the build from its own origin; in development Vite proxies the
// API to a server started with `make run` (or CREDO_API).
const api = process.env.CREDO_API ?? 'http://localhost:8080';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // The size budget is checked by scripts/size.mjs; Vite's own warning is about raw size.
    chunkSizeWarningLimit: 600,
  },
  server: {
    proxy: { '/api': api, '/healthz': api },
  },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    restoreMocks: true,
    // Two shared cores in CI: a whole-app render can take seconds there.
    testTimeout: 15_000,
  },
});
