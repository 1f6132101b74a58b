// The API docs at /api/v1/docs: Swagger UI, bundled here so that it works offline and
// under the server's CSP (no CDN, no inline script, no eval).
import SwaggerUI from 'swagger-ui-dist/swagger-ui-es-bundle.js'
import 'swagger-ui-dist/swagger-ui.css'
import './docs.css'

SwaggerUI({
  url: '/api/v1/openapi.json',
  dom_id: '#docs',
  // Deep links put a link inside each operation's toggle button (nested controls).
  deepLinking: false,
  // The default validator badge would call validator.swagger.io.
  validatorUrl: null,
  // "Try it out" from a signed-in browser: the CSRF guard wants this header on every call.
  requestInterceptor: (request) => {
    request.headers['X-Annex-Client'] = '1'
    return request
  },
})
