import { call, client } from '@/api/client'
import type { paths } from '@/api/schema'

export type ActivityQuery = NonNullable<paths['/admin/activity']['get']['parameters']['query']>
export type ExportQuery = NonNullable<paths['/admin/activity/export']['get']['parameters']['query']>

export const listActivity = (query: ActivityQuery) => call(() => client.GET('/admin/activity', { params: { query } }))

export type ActivityPage = Awaited<ReturnType<typeof listActivity>>
export type ActivityEntry = NonNullable<ActivityPage['items']>[number]

/**
 * exportActivity downloads the filtered log as CSV, calling onRows with the rows received
 * so far (the export is streamed: a long one shows its progress), and answers the file.
 */
export async function exportActivity(query: ExportQuery, onRows: (rows: number) => void): Promise<Blob> {
  const stream = await call(() => client.GET('/admin/activity/export', { params: { query }, parseAs: 'stream' }))
  const reader = (stream as ReadableStream<Uint8Array>).getReader()
  const chunks: BlobPart[] = []
  let lines = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    chunks.push(value as Uint8Array<ArrayBuffer>)
    for (const byte of value) if (byte === 10) lines++
    // The first line is the header.
    onRows(Math.max(lines - 1, 0))
  }
  return new Blob(chunks, { type: 'text/csv' })
}
