import { createRouter, createWebHistory, type RouteLocationNormalized } from 'vue-router'
import { onSessionEnded } from '@/api/client'
import { setLinkToken } from '@/features/account/token'
import LoginPage from '@/features/auth/LoginPage.vue'
import { setInviteToken } from '@/features/invite/token'
import { tokenOfHash } from '@/features/publiclink/publicLink'
import { setPublicToken } from '@/features/publiclink/token'
import { setSetupToken } from '@/features/setup/token'
import AppShell from '@/features/shell/AppShell.vue'
import ComingSoon from '@/features/shell/ComingSoon.vue'
import NotFound from '@/features/shell/NotFound.vue'
import { soonSections } from '@/features/shell/sections'
import { useSession } from '@/stores/session'
import { homePath, safeNext } from './safeNext'

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without signing in. */
    public?: boolean
    /** Only for administrators; everybody else sees "not found". */
    admin?: boolean
  }
}

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/setup', name: 'setup', component: () => import('@/features/setup/SetupWizard.vue'), meta: { public: true } },
    { path: '/login', name: 'login', component: LoginPage, meta: { public: true } },
    // The API reference lives at the API's address; it reads only the public document.
    { path: '/api/v1/docs', name: 'apiDocs', component: () => import('@/features/apidocs/ApiReference.vue'), meta: { public: true } },
    { path: '/invite', name: 'invite', component: () => import('@/features/invite/InvitePage.vue'), meta: { public: true } },
    // A public link to a drive's file or folder: for anyone who holds it, signed in or not.
    { path: '/s', name: 'publicLink', component: () => import('@/features/publiclink/PublicLinkPage.vue'), meta: { public: true } },
    {
      path: '/forgot-password',
      name: 'forgotPassword',
      component: () => import('@/features/account/ForgotPasswordPage.vue'),
      meta: { public: true },
    },
    {
      path: '/reset-password',
      name: 'resetPassword',
      component: () => import('@/features/account/ResetPasswordPage.vue'),
      meta: { public: true },
    },
    {
      path: '/confirm-email',
      name: 'confirmEmail',
      component: () => import('@/features/account/ConfirmEmailPage.vue'),
      meta: { public: true },
    },
    {
      path: '/',
      component: AppShell,
      children: [
        { path: '', redirect: homePath },
        ...soonSections.map((section) => ({ path: section, name: section, component: ComingSoon, props: { section } })),
        {
          // One parent, so that the navigation's "Groups" stays highlighted on a group.
          path: 'groups',
          children: [
            { path: '', name: 'groups', component: () => import('@/features/groups/GroupList.vue') },
            { path: ':id', name: 'group', component: () => import('@/features/groups/GroupPage.vue') },
            {
              path: ':id/board',
              name: 'groupBoard',
              component: () => import('@/features/tasks/TaskBoard.vue'),
              props: (to) => ({ boardId: String(to.params.id) }),
            },
          ],
        },
        {
          // One parent, so that the navigation's "Tasks" stays highlighted on a task.
          path: 'tasks',
          children: [
            { path: '', name: 'tasks', component: () => import('@/features/tasks/TaskList.vue') },
            { path: 'planner', name: 'planner', component: () => import('@/features/tasks/TaskBoard.vue'), props: { boardId: 'me' } },
            { path: ':id', name: 'task', component: () => import('@/features/tasks/TaskPage.vue') },
          ],
        },
        {
          // One parent, so that the navigation's "People" stays highlighted on a profile.
          path: 'people',
          children: [
            { path: '', name: 'people', component: () => import('@/features/people/PeopleDirectory.vue') },
            { path: ':id', name: 'person', component: () => import('@/features/people/PersonProfile.vue') },
          ],
        },
        { path: 'drive', name: 'drive', component: () => import('@/features/drive/DrivePage.vue') },
        { path: 'reviews', name: 'reviews', component: () => import('@/features/reviews/AccessReviews.vue') },
        { path: 'profile', name: 'profile', component: () => import('@/features/profile/ProfilePage.vue') },
        { path: 'account/security', name: 'accountSecurity', component: () => import('@/features/account/AccountSecurity.vue') },
        {
          path: 'account/notifications',
          name: 'accountNotifications',
          component: () => import('@/features/notifications/NotificationSettings.vue'),
        },
        { path: 'notifications', name: 'notifications', component: () => import('@/features/notifications/NotificationsPage.vue') },
        { path: 'password', name: 'password', component: () => import('@/features/profile/ChangePassword.vue') },
        { path: 'two-factor', name: 'twoFactor', component: () => import('@/features/account/TwoFactorSetup.vue') },
        {
          // One parent, so that the navigation's "Users" stays highlighted on the invitations.
          path: 'admin/users',
          meta: { admin: true },
          children: [
            { path: '', name: 'adminUsers', component: () => import('@/features/admin/AdminUsers.vue') },
            { path: 'invitations', name: 'adminInvitations', component: () => import('@/features/admin/AdminInvitations.vue') },
          ],
        },
        {
          path: 'admin/settings',
          name: 'adminSettings',
          component: () => import('@/features/admin/AdminSettings.vue'),
          meta: { admin: true },
        },
        {
          path: 'admin/security',
          name: 'adminSecurity',
          component: () => import('@/features/admin/AdminSecurity.vue'),
          meta: { admin: true },
        },
        {
          path: 'admin/licence',
          name: 'adminLicence',
          component: () => import('@/features/licence/AdminLicence.vue'),
          meta: { admin: true },
        },
        {
          path: 'admin/mail',
          name: 'adminMail',
          component: () => import('@/features/mail/AdminMail.vue'),
          meta: { admin: true },
        },
        {
          path: 'admin/backups',
          name: 'adminBackups',
          component: () => import('@/features/backup/AdminBackups.vue'),
          meta: { admin: true },
        },
        {
          path: 'admin/system',
          name: 'adminSystem',
          component: () => import('@/features/system/AdminSystem.vue'),
          meta: { admin: true },
        },
        {
          path: 'admin/activity',
          name: 'adminActivity',
          component: () => import('@/features/activity/AdminActivity.vue'),
          meta: { admin: true },
        },
        {
          path: 'admin/users/:id/access',
          name: 'accessReport',
          component: () => import('@/features/report/AccessReport.vue'),
          meta: { admin: true },
        },
        {
          path: 'admin/jobs',
          name: 'adminJobs',
          component: () => import('@/features/jobs/AdminJobs.vue'),
          meta: { admin: true },
        },
        {
          path: 'admin/sign-in-blocks',
          name: 'adminSignInBlocks',
          component: () => import('@/features/security/SignInBlocks.vue'),
          meta: { admin: true },
        },
        {
          path: 'admin/topics',
          name: 'adminTopics',
          component: () => import('@/features/topics/AdminTopics.vue'),
          meta: { admin: true },
        },
        { path: ':pathMatch(.*)*', name: 'notFound', component: NotFound },
      ],
    },
  ],
})

// Shows "not found" at the address asked for, as for a page that does not exist.
function notFound(to: RouteLocationNormalized) {
  return { name: 'notFound', params: { pathMatch: to.path.slice(1).split('/') }, query: to.query, hash: to.hash }
}

// Sign-in, then back to the page asked for.
function login(next: string) {
  return { name: 'login', query: next === homePath ? {} : { next }, replace: true }
}

// A session the server no longer knows (expired, signed out elsewhere): sign in again, then come back here.
onSessionEnded(() => {
  if (!useSession().end()) return false
  void router.replace(login(router.currentRoute.value.fullPath))
  return true
})

router.beforeEach(async (to) => {
  // The setup, invitation, reset and e-mail links carry their token in the fragment: keep it for this tab,
  // drop it from the address (and from the history).
  const keepToken =
    to.name === 'setup'
      ? setSetupToken
      : to.name === 'invite'
        ? setInviteToken
        : to.name === 'resetPassword'
          ? (token: string) => setLinkToken('reset', token)
          : to.name === 'confirmEmail'
            ? (token: string) => setLinkToken('email', token)
            : undefined
  if (keepToken && to.hash) {
    const token = new URLSearchParams(to.hash.slice(1)).get('token')
    if (token) {
      keepToken(token)
      return { path: to.path, query: to.query, hash: '', replace: true }
    }
  }
  // A public link's token is all of its fragment (/s#…): kept the same way; a new link starts at its top.
  if (to.name === 'publicLink' && to.hash) {
    const token = tokenOfHash(to.hash)
    if (token) {
      setPublicToken(token)
      return { path: to.path, query: {}, hash: '', replace: true }
    }
  }
  // The API reference needs nobody signed in, not even a finished setup.
  if (to.name === 'apiDocs') return true
  const session = useSession()
  if (!session.loaded) await session.load()
  if (session.unreachable) return true
  if (session.setupPending) return to.name === 'setup' ? true : { name: 'setup', replace: true }
  if (to.name === 'setup') return { path: session.me ? homePath : '/login', replace: true }
  if (to.name === 'login') return session.me ? { path: safeNext(to.query.next), replace: true } : true
  if (to.meta.public) return true
  if (!session.me) return login(to.fullPath)
  // A temporary password (set by an administrator) must be replaced before anything else.
  if (session.me.mustChangePassword && to.name !== 'password') return { name: 'password', replace: true }
  // So must two-factor, where the policy requires it; then on to the page asked for.
  if (!session.me.mustChangePassword && session.mustEnrol && to.name !== 'twoFactor') {
    return { name: 'twoFactor', query: to.fullPath === homePath ? {} : { next: to.fullPath }, replace: true }
  }
  if (to.meta.admin && !session.me.admin) return notFound(to)
  return true
})
