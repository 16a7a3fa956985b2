import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

import react from '@vitejs/plugin-react';
import type { Connect, Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

// The phone ballot page is its own small entry: the server answers /vote/* with vote.html, and so do these servers.
const voteRewrite: Connect.NextHandleFunction = (req, _res, next) => {
  if (req.url && /^\/vote(\/|$|\?)/.test(req.url)) req.url = '/vote.html';
  next();
};
const votePage: Plugin = {
  name: 'shuping-vote-page',
  configureServer: (server) => void server.middlewares.use(voteRewrite),
  configurePreviewServer: (server) => void server.middlewares.use(voteRewrite),
};

export default defineConfig({
  base: '/',
  plugins: [react(), votePage],
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8000',
    },
  },
  build: {
    outDir: 'dist',
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      input: {
        main: fileURLToPath(new URL('index.html', import.meta.url)),
        vote: fileURLToPath(new URL('vote.html', import.meta.url)),
      },
      output: {
        // React in its own long-lived chunk (the router in another); echarts apart so only the lazy chart loads it. antd is left to the
        // automatic splitting, which keeps Table, Tree and DatePicker out of the first load.
        codeSplitting: {
          groups: [
            // The router apart from React itself: the phone ballot page has no router and should not download one.
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            { name: 'router', test: /node_modules[\\/](react-router|react-router-dom)[\\/]/ },
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)[\\/]/ },
          ],
        },
      },
    },
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    css: false,
    testTimeout: 20000,
    // Vitest leaves a core free by default; the tests mostly wait on jsdom and timers, so on a 2-core
    // machine two workers halve the wall time (213 s → 112 s measured).
    maxWorkers: Math.max(2, availableParallelism()),
  },
});
