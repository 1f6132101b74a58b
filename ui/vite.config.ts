/// <reference types="vitest/config" />
import { fileURLToPath, URL } from 'node:url'
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import vuetify from 'vite-plugin-vuetify'

const inNodeModules = (...names: string[]) =>
  new RegExp(`[\\\\/]node_modules[\\\\/](${names.join('|')})[\\\\/]`)

export default defineConfig({
  plugins: [vue(), vuetify({ autoImport: true })],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  define: {
    __VUE_I18N_FULL_INSTALL__: false,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  build: {
    // The Go binary embeds this folder; the test suite rebuilds it and compares.
    outDir: '../embed/dist',
    emptyOutDir: true,
    sourcemap: false,
    // Every browser Vuetify 4 supports has module preloading.
    modulePreload: { polyfill: false },
    // The docs viewer (Swagger UI) is one large chunk loaded only by docs.html.
    chunkSizeWarningLimit: 1800,
    rolldownOptions: {
      input: {
        index: fileURLToPath(new URL('./index.html', import.meta.url)),
        docs: fileURLToPath(new URL('./docs.html', import.meta.url)),
      },
      output: {
        codeSplitting: {
          groups: [
            // Only what the first page needs; components of lazy pages stay in their chunks.
            { name: 'vuetify', test: inNodeModules('vuetify'), tags: ['$initial'], priority: 2 },
            { name: 'vue', test: inNodeModules('@vue', 'vue', 'vue-router', 'pinia', 'vue-i18n', '@intlify'), priority: 1 },
            // Our own code that the first page needs.
            { name: 'app', test: (id) => /[\\/]src[\\/](?!docs[\\/])/.test(id), tags: ['$initial'] },
          ],
        },
      },
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.spec.ts'],
  },
})
