import { call, client } from '@/api/client'
import { photoContentType } from './photo'

/** uploadPhoto sends the picture itself as the request body; the answer is the updated Me. */
export const uploadPhoto = (file: File) =>
  call(() =>
    client.PUT('/me/photo', {
      // The schema types a binary body as a string; the browser sends the File as it is.
      body: file as unknown as string,
      bodySerializer: (body) => body,
      headers: { 'Content-Type': photoContentType(file) },
    }),
  )

export const deletePhoto = () => call(() => client.DELETE('/me/photo'))
