import js from '@eslint/js'
import vueI18n from '@intlify/eslint-plugin-vue-i18n'
import { defineConfig } from 'eslint/config'
import pluginVue from 'eslint-plugin-vue'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default defineConfig(
  {
    ignores: ['node_modules/', 'src/api/schema.d.ts', '**/*.json', '!src/i18n/*.json'],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    // Node scripts: the browser journeys and the tool configs.
    files: ['e2e/**/*.{js,mjs}', '*.config.{js,ts}'],
    languageOptions: { globals: globals.node },
  },
  vueI18n.configs.recommended,
  {
    // The i18n plugin's recommended config pins ECMAScript 2018; the code is newer.
    languageOptions: { ecmaVersion: 'latest' },
    settings: {
      'vue-i18n': { localeDir: './src/i18n/*.json', messageSyntaxVersion: '^11.0.0' },
    },
    rules: {
      '@intlify/vue-i18n/no-raw-text': 'error',
      '@intlify/vue-i18n/no-missing-keys': 'error',
      '@intlify/vue-i18n/no-unused-keys': [
        'error',
        {
          extensions: ['.ts', '.vue'],
          // Error codes and the activity log's actions are looked up by the code the server sends.
          ignores: ['/^errors\\./', '/^activityActions\\./'],
        },
      ],
      '@intlify/vue-i18n/valid-message-syntax': 'error',
      '@intlify/vue-i18n/no-v-html': 'error',
      'vue/multi-word-component-names': 'off',
      // Layout is left to the author (short elements stay on one line).
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      // HTML put into the page is the way in for script: none, except the one component below.
      'vue/no-v-html': 'error',
    },
  },
  {
    // MarkdownText shows what markdown.ts has rendered and sanitised; the only v-html allowed.
    files: ['src/components/MarkdownText.vue'],
    rules: { 'vue/no-v-html': 'off' },
  },
)
