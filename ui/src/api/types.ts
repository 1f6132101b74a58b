// Names for the shapes the UI uses, derived from the operations of the generated schema
// (not from component names, which the server may rename freely).
import type { paths } from './schema'

type JsonOf<T> = T extends { content: { 'application/json': infer B } } ? B : never
type Response200<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  responses: { 200: infer R }
}
  ? JsonOf<R>
  : never
type Response201<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  responses: { 201: infer R }
}
  ? JsonOf<R>
  : never
type Query<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  parameters: { query?: infer Q }
}
  ? NonNullable<Q>
  : never
type RequestBody<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  requestBody?: infer B
}
  ? JsonOf<NonNullable<B>>
  : never

export type Bootstrap = Response200<'/bootstrap', 'get'>
export type Me = NonNullable<Bootstrap['user']>
export type MeInput = RequestBody<'/me', 'patch'>
export type SetupState = Response200<'/setup', 'get'>
export type Settings = Response200<'/admin/settings', 'get'>
export type SettingsInput = RequestBody<'/admin/settings', 'patch'>
export type SmtpInput = RequestBody<'/admin/settings/smtp', 'put'>
export type LoginInput = RequestBody<'/auth/login', 'post'>
export type TwoFactorInput = RequestBody<'/auth/two-factor', 'post'>
export type TwoFactorStatus = Response200<'/me/two-factor', 'get'>
export type Enrolment = Response200<'/me/two-factor/enrolment', 'post'>
export type Enrolled = Response200<'/me/two-factor/enrolment/confirm', 'post'>
export type SmtpView = Settings['smtp']
export type AddEmployeeInput = RequestBody<'/admin/users', 'post'>
export type AddedEmployee = Response201<'/admin/users', 'post'>
export type Person = Response200<'/people/{id}', 'get'>
export type PeoplePage = Response200<'/people', 'get'>
export type PeopleQuery = Query<'/people', 'get'>
export type Group = Response200<'/groups/{id}', 'get'>
export type GroupPage = Response200<'/groups', 'get'>
export type GroupsQuery = Query<'/groups', 'get'>
export type GroupCreateInput = RequestBody<'/groups', 'post'>
export type GroupEditInput = RequestBody<'/groups/{id}', 'patch'>
export type Topic = NonNullable<Response200<'/topics', 'get'>['items']>[number]
export type Member = Response200<'/groups/{id}/members/{userId}/role', 'put'>
export type MemberPage = Response200<'/groups/{id}/members', 'get'>
export type MemberRole = Member['role']
export type InvitedMember = Response201<'/groups/{id}/members', 'post'>
export type Invitation = Response200<'/invitations/{id}/revoke', 'post'>
export type InvitationPage = Response200<'/invitations', 'get'>
export type InvitationsQuery = Query<'/invitations', 'get'>
export type InvitationState = Invitation['state']
export type InviteBatch = RequestBody<'/groups/{id}/invitations', 'post'>
export type AdminInviteBatch = RequestBody<'/admin/invitations', 'post'>
export type Invitee = NonNullable<InviteBatch['invitees']>[number]
export type InviteOutcome = NonNullable<Response200<'/groups/{id}/invitations', 'post'>['results']>[number]
export type ResentInvitation = Response200<'/invitations/{id}/resend', 'post'>
export type MySession = NonNullable<Response200<'/me/sessions', 'get'>['items']>[number]
export type ResetFinishInput = RequestBody<'/auth/password-reset/finish', 'post'>
export type Task = Response200<'/tasks/{id}', 'get'>
export type TaskPage = Response200<'/tasks', 'get'>
/** A task in a list or on a board: all but its description. */
export type TaskItem = NonNullable<TaskPage['items']>[number]
export type TasksQuery = Query<'/tasks', 'get'>
export type TaskCreateInput = RequestBody<'/tasks', 'post'>
export type TaskEditInput = RequestBody<'/tasks/{id}', 'patch'>
export type TaskStatus = Task['status']
export type TaskPriority = Task['priority']
export type DriveItem = Response200<'/drive/items/{id}', 'get'>
export type DriveItemPage = Response200<'/drives/{drive}/items', 'get'>
export type DriveItemsQuery = Query<'/drives/{drive}/items', 'get'>
export type DriveVersion = Response200<'/drive/items/{id}/versions', 'get'>['items'][number]
export type DriveSort = NonNullable<DriveItemsQuery['sort']>
export type DriveTrashQuery = Query<'/drives/{drive}/trash', 'get'>
export type TrashedDriveItem = Response200<'/drives/{drive}/trash', 'get'>['items'][number]
export type DriveSearchQuery = Query<'/drive/search', 'get'>
export type DriveLevel = DriveItemPage['level']
export type DriveRights = Response200<'/drives/{drive}/rights', 'get'>
export type DriveRightsInput = RequestBody<'/drives/{drive}/rights', 'put'>
