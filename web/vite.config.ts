import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Two pages: the agent desk (/) and the customer portal (/portal/). Routes are split into their
// own chunks, so the first load carries only the shell and the screen being opened.
export default defineConfig({
  root: here('.'),
  plugins: [react()],
  build: {
    outDir: here('dist'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 400,
    // Every browser the desk supports (current Chromium, Firefox, Safari) preloads modules itself.
    modulePreload: { polyfill: false },
    rollupOptions: {
      input: { desk: here('index.html'), portal: here('portal/index.html') },
      output: {
        // Libraries both pages use (React, React Query, i18next) in one long-cached chunk;
        // the router stays with the desk, which alone needs it.
        manualChunks: (id) => {
          if (id.includes('/node_modules/')) return id.includes('/react-router/') ? undefined : 'vendor';
          // App code both pages share (API client, i18n, error line), named for what it is.
          if (/\/web\/src\/(api\/|i18n\.ts|components\/ErrorText)/.test(id)) return 'common';
          return undefined;
        },
      },
    },
  },
  server: { proxy: { '/api': 'http://localhost:3000' } },
});
