// Package audit is how every domain writes the activity log: one call, inside the
// domain's own transaction, so that a change and its row commit together or not at all.
// The actions are named here, in one list, so that the log's readers (Admin → Activity,
// its filters and their translations) know every action there can be.
package audit

import (
	"context"
	"sync"
	"time"

	"annex/app/request"
	"annex/store"
)

// The actions the log records, "area.verb". Admin → Activity translates each one; a test
// checks that every action here has a translation.
const (
	SignIn          = "auth.sign_in"
	SignInFailed    = "auth.sign_in_failed"
	SignOut         = "auth.sign_out"
	SignInBlocked   = "auth.blocked"
	PasswordChanged = "account.password_changed"
	ProfileChanged  = "account.profile_changed"

	SecondFactorFailed   = "auth.second_factor_failed"
	TokenUsed            = "auth.token_used"
	TwoFactorEnabled     = "account.two_factor_enabled"
	TwoFactorDisabled    = "account.two_factor_disabled"
	RecoveryCodesRenewed = "account.recovery_codes_renewed"
	PasswordReset        = "account.password_reset"
	EmailChanged         = "account.email_changed"
	SessionsEnded        = "account.sessions_ended"
	TokenCreated         = "account.token_created"
	TokenRevoked         = "account.token_revoked"
	TwoFactorReset       = "admin.two_factor_reset"
	PasswordResetByAdmin = "admin.password_reset"
	SessionsEndedByAdmin = "admin.sessions_ended"

	InvitationSent       = "invitation.sent"
	InvitationResent     = "invitation.resent"
	InvitationRevoked    = "invitation.revoked"
	InvitationAccepted   = "invitation.accepted"
	InvitationDeclined   = "invitation.declined"
	InvitationLinkCopied = "invitation.link_copied"

	GroupCreated       = "group.created"
	GroupChanged       = "group.changed"
	GroupJoined        = "group.joined"
	GroupLeft          = "group.left"
	GroupMemberAdded   = "group.member_added"
	GroupMemberRemoved = "group.member_removed"
	GroupRoleChanged   = "group.role_changed"
	GroupViewed        = "group.viewed"
	PersonViewed       = "people.viewed"

	UserAdded       = "admin.user_added"
	UserChanged     = "admin.user_changed"
	UserDeactivated = "admin.user_deactivated"
	UserReactivated = "admin.user_reactivated"
	SettingsChanged = "admin.settings_changed"
	LicenceUploaded = "admin.licence_uploaded"
	BlockCleared    = "admin.block_cleared"
	BackupStarted   = "admin.backup_started"
	BackupFetched   = "admin.backup_downloaded"
	TopicChanged    = "admin.topic_changed"
	MailRetried     = "admin.mail_retried"
	ActivityExport  = "admin.activity_exported"
	SetupFinished   = "admin.setup_finished"
	JobRunNow       = "admin.job_run"

	AccessExpirySet = "access.expiry_set"
	AccessExpired   = "access.expired"
	ViewAsStarted   = "access.view_as_started"
	ViewAsPage      = "access.view_as_page"
	ViewAsEnded     = "access.view_as_ended"

	AccessReportExported = "access.report_exported"
	ReviewRequested      = "access.review_requested"
	ReviewAnswered       = "access.review_answered"
	ReviewLapsed         = "access.review_lapsed"

	TaskCreated       = "task.created"
	TaskChanged       = "task.changed"
	TaskStatusChanged = "task.status_changed"
	TaskDeleted       = "task.deleted"

	TaskCommented        = "task.commented"
	TaskCommentEdited    = "task.comment_edited"
	TaskCommentDeleted   = "task.comment_deleted"
	TaskChecklistChanged = "task.checklist_changed"
	TaskMoved            = "task.moved"
	BoardChanged         = "task.board_changed"
	TaskFileAttached     = "task.file_attached"
	TaskFileDetached     = "task.file_detached"

	DriveFolderCreated = "drive.folder_created"
	DriveUploaded      = "drive.uploaded"
	DriveDownloaded    = "drive.downloaded"
	DriveRenamed       = "drive.renamed"
	DriveMoved         = "drive.moved"
	DriveCopied        = "drive.copied"
	DriveTrashed       = "drive.trashed"
	DriveRestored      = "drive.restored"
	DrivePurged        = "drive.purged"
	// DriveVersionRestored is a file's earlier version made current again.
	DriveVersionRestored = "drive.version_restored"
	DriveRightsChanged   = "drive.rights_changed"
	DriveShared          = "drive.shared"
	DriveUnshared        = "drive.unshared"
	DriveLinkCreated     = "drive.link_created"
	DriveLinkRevoked     = "drive.link_revoked"
	// DriveLinkVisited and DriveLinkDownloaded are a public link's anonymous visitor's.
	DriveLinkVisited    = "drive.link_visited"
	DriveLinkDownloaded = "drive.link_downloaded"
	// DriveTrashEmptied is the job's removal of what stayed in the trash past its days.
	DriveTrashEmptied = "drive.trash_emptied"

	AccessRefused    = "security.access_refused"
	CrossSiteRefused = "security.cross_site_refused"
)

// Actions lists every action above, for the log's filter and its tests.
var Actions = []string{
	SignIn, SignInFailed, SignOut, SignInBlocked, PasswordChanged, ProfileChanged,
	SecondFactorFailed, TokenUsed, TwoFactorEnabled, TwoFactorDisabled, RecoveryCodesRenewed, PasswordReset, EmailChanged,
	SessionsEnded, TokenCreated, TokenRevoked, TwoFactorReset, PasswordResetByAdmin, SessionsEndedByAdmin,
	InvitationSent, InvitationResent, InvitationRevoked, InvitationAccepted, InvitationDeclined, InvitationLinkCopied,
	GroupCreated, GroupChanged, GroupJoined, GroupLeft, GroupMemberAdded, GroupMemberRemoved, GroupRoleChanged, GroupViewed, PersonViewed,
	UserAdded, UserChanged, UserDeactivated, UserReactivated, SettingsChanged, LicenceUploaded, BlockCleared,
	BackupStarted, BackupFetched, TopicChanged, MailRetried, ActivityExport, SetupFinished, JobRunNow,
	AccessExpirySet, AccessExpired, ViewAsStarted, ViewAsPage, ViewAsEnded, AccessReportExported,
	ReviewRequested, ReviewAnswered, ReviewLapsed,
	TaskCreated, TaskChanged, TaskStatusChanged, TaskDeleted,
	TaskCommented, TaskCommentEdited, TaskCommentDeleted, TaskChecklistChanged, TaskMoved, BoardChanged, TaskFileAttached, TaskFileDetached,
	DriveFolderCreated, DriveUploaded, DriveDownloaded, DriveRenamed, DriveMoved, DriveCopied, DriveTrashed, DriveRestored,
	DrivePurged, DriveVersionRestored, DriveTrashEmptied, DriveRightsChanged, DriveShared, DriveUnshared,
	DriveLinkCreated, DriveLinkRevoked, DriveLinkVisited, DriveLinkDownloaded,
	AccessRefused, CrossSiteRefused,
}

// Log appends one row for actor's action on obj to the log, in tx, with the request's
// client address. details are short facts worth keeping (an address tried, a field
// changed), never secrets.
func Log(ctx context.Context, tx *store.Tx, actor store.Actor, action string, obj store.Object, details map[string]string) error {
	return tx.LogActivity(ctx, actor, action, obj, request.From(ctx).ClientIP, details)
}

// User names a person as the object of an action.
func User(id, email string) store.Object { return store.Object{Type: "user", ID: id, Label: email} }

// Group names a group as the object of an action.
func Group(id, name string) store.Object {
	return store.Object{Type: "group", ID: id, Label: name, GroupID: id}
}

// Task names a task as the object of an action; groupID is "" for a personal task.
func Task(id, title, groupID string) store.Object {
	return store.Object{Type: "task", ID: id, Label: title, GroupID: groupID}
}

// DriveItem names a folder or a file, in the group whose drive holds it (if any).
func DriveItem(v store.DriveItem) store.Object {
	return store.Object{Type: "drive_item", ID: v.ID, Label: v.Name, GroupID: v.Drive.GroupID}
}

// Member names a person as the object of an action in a group.
func Member(u store.User, groupID string) store.Object {
	return store.Object{Type: "user", ID: u.ID, Label: u.Email, GroupID: groupID}
}

// viewEvery is how often one person opening one object is logged again: reloading a
// page, or coming back to it within minutes, is one visit.
const viewEvery = 10 * time.Minute

var views = struct {
	sync.Mutex
	last map[string]time.Time // person and object → when last logged
}{last: map[string]time.Time{}}

// Viewed logs that an external user opened obj (PRODUCT.md §6: every action of an
// external user leaves a row; employees' reading is not logged), in a transaction of its
// own since a read has none, at most once per person and object every viewEvery.
func Viewed(ctx context.Context, st *store.Store, a store.Actor, action string, obj store.Object) error {
	if request.Viewer(ctx) != "" {
		return nil // an administrator viewing as her: not her reading (docs/view-as.md)
	}
	if a.Kind != store.KindExternal {
		return nil
	}
	now := st.Now()
	key := a.UserID + "\x00" + obj.Type + "\x00" + obj.ID
	views.Lock()
	last, seen := views.last[key]
	if seen && now.Sub(last) < viewEvery && !now.Before(last) {
		views.Unlock()
		return nil
	}
	views.last[key] = now
	if len(views.last) > 10000 {
		for k, t := range views.last {
			if now.Sub(t) >= viewEvery {
				delete(views.last, k)
			}
		}
	}
	views.Unlock()
	err := st.Tx(ctx, func(tx *store.Tx) error { return Log(ctx, tx, a, action, obj, nil) })
	if err != nil {
		// Not logged: the next opening tries again.
		views.Lock()
		delete(views.last, key)
		views.Unlock()
	}
	return err
}
