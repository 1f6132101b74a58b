import { createVuetify } from 'vuetify'
import { aliases, mdi } from 'vuetify/iconsets/mdi-svg'
import { createVueI18nAdapter } from 'vuetify/locale/adapters/vue-i18n'
import { useI18n } from 'vue-i18n'
import { i18n } from '@/i18n'
import 'vuetify/styles'

type VueI18nAdapterI18n = Parameters<typeof createVueI18nAdapter>[0]['i18n']

export const vuetify = createVuetify({
  icons: { defaultSet: 'mdi', aliases, sets: { mdi } },
  // The adapter is typed for an i18n whose locale is any string; ours narrows it to en | ru.
  locale: { adapter: createVueI18nAdapter({ i18n: i18n as unknown as VueI18nAdapterI18n, useI18n }) },
  theme: {
    defaultTheme: 'light',
    themes: {
      light: {
        dark: false,
        colors: {
          primary: '#2f5d8a',
          background: '#f5f7fa',
          // Vuetify's success and info are too light for white text (toasts) at 4.5:1.
          success: '#2e7d32',
          info: '#1565c0',
          // Names of external users: amber, dark enough for 4.5:1 on white and on the background.
          external: '#9a5b00',
          // Vuetify's warning (#FB8C00) is 2.4:1 as text on a tonal alert; this burnt orange is
          // over 5:1 there, and redder than the amber of external users.
          warning: '#a84300',
        },
        // Labels and hints at Vuetify's 0.6 are 4.3:1 on white; axe (WCAG AA) wants 4.5:1.
        variables: { 'medium-emphasis-opacity': 0.68 },
      },
    },
  },
  defaults: {
    VTextField: { variant: 'outlined', density: 'comfortable' },
    VTextarea: { variant: 'outlined', density: 'comfortable' },
    VSelect: { variant: 'outlined', density: 'comfortable' },
    VFileInput: { variant: 'outlined', density: 'comfortable' },
    VBtn: { rounded: 'lg' },
    // No slide between steps: the step changes at once, and only one is ever on screen.
    VStepperWindowItem: { transition: false, reverseTransition: false },
  },
})
