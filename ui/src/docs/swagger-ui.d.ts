declare module 'swagger-ui-dist/swagger-ui-es-bundle.js' {
  interface SwaggerRequest {
    headers: Record<string, string>
  }
  interface SwaggerUIOptions {
    url: string
    dom_id: string
    deepLinking?: boolean
    validatorUrl?: string | null
    requestInterceptor?: (request: SwaggerRequest) => SwaggerRequest
  }
  export default function SwaggerUI(options: SwaggerUIOptions): unknown
}
