import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { currentLocale, i18n } from './i18n'
import { vuetify } from './plugins/vuetify'
import { router } from './router'
import './styles/main.css'

document.documentElement.lang = currentLocale()

createApp(App).use(createPinia()).use(i18n).use(vuetify).use(router).mount('#app')
