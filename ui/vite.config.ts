/// <reference types="vitest/config" />
import { readFile, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath, URL } from 'node:url'
import { gzipSync, constants as zlib } from 'node:zlib'
import { defineConfig, type Plugin } from 'vite'
import vue from '@vitejs/plugin-vue'
import vuetify from 'vite-plugin-vuetify'

const inNodeModules = (...names: string[]) =>
  new RegExp(`[\\\\/]node_modules[\\\\/](${names.join('|')})[\\\\/]`)

/**
 * Stores each text asset gzipped in place of the original (app.js → app.js.gz) when that
 * saves a tenth or more: the Go binary embeds what it sends, a third of the size, and
 * decompresses only for the rare client without gzip. zlib's output with a fixed level
 * and no timestamp is the same on every build, so the committed build stays comparable.
 */
function gzipAssets(): Plugin {
  const text = /\.(js|css|svg|json|txt)$/
  return {
    name: 'annex:gzip-assets',
    apply: 'build',
    enforce: 'post',
    async writeBundle(options, bundle) {
      const dir = options.dir ?? ''
      for (const name of Object.keys(bundle).filter((n) => text.test(n))) {
        const file = join(dir, name)
        const body = await readFile(file)
        if (body.length < 1024) continue
        const gz = gzipSync(body, { level: zlib.Z_BEST_COMPRESSION })
        if (gz.length > body.length * 0.9) continue
        await writeFile(file + '.gz', gz)
        await unlink(file)
      }
    },
  }
}

export default defineConfig({
  plugins: [vue(), vuetify({ autoImport: true }), gzipAssets()],
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
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            // Only what the first page needs; components of lazy pages stay in their chunks.
            { name: 'vuetify', test: inNodeModules('vuetify'), tags: ['$initial'], priority: 2 },
            { name: 'vue', test: inNodeModules('@vue', 'vue', 'vue-router', 'pinia', 'vue-i18n', '@intlify'), priority: 1 },
            // Our own code that the first page needs.
            { name: 'app', test: (id) => /[\\/]src[\\/]/.test(id), tags: ['$initial'] },
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
