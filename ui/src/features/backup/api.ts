import { call, client } from '@/api/client'
import { APIPrefix } from './progress'

export const listBackups = (query: { page: number; perPage: number }) =>
  call(() => client.GET('/admin/backups', { params: { query } }))

/** startBackup begins a backup unless one is running, and answers with its status. */
export const startBackup = () => call(() => client.POST('/admin/backups'))

export const backupStatus = () => call(() => client.GET('/admin/backup-status'))

/**
 * confirmDownload checks the backup is there and that the password was entered
 * recently (the client asks for it, then retries), so the download that follows is
 * not refused.
 */
export const confirmDownload = (name: string) =>
  call(() => client.GET('/admin/backups/{name}', { params: { path: { name } } }))

/** downloadURL is where the browser fetches a backup itself, streamed to disk. */
export const downloadURL = (name: string) => `${APIPrefix}/admin/backups/${encodeURIComponent(name)}/download`

export type BackupsPage = Awaited<ReturnType<typeof listBackups>>
export type BackupFile = NonNullable<BackupsPage['items']>[number]
export type BackupStatus = Awaited<ReturnType<typeof backupStatus>>
